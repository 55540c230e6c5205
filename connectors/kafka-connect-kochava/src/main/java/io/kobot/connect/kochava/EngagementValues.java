package io.kobot.connect.kochava;

import static io.kobot.connect.kochava.EngagementSchema.DEVICE_IDS;
import static io.kobot.connect.kochava.EngagementSchema.EVENT_DATA;
import static io.kobot.connect.kochava.EngagementSchema.EVENT_NAME;
import static io.kobot.connect.kochava.EngagementSchema.FB_USER_ID;
import static io.kobot.connect.kochava.EngagementSchema.IDENTITY_LINKED;
import static io.kobot.connect.kochava.EngagementSchema.INGESTED_AT;
import static io.kobot.connect.kochava.EngagementSchema.INTERACTION_ID;
import static io.kobot.connect.kochava.EngagementSchema.KOCHAVA_APP_ID;
import static io.kobot.connect.kochava.EngagementSchema.OCCURRED_AT;
import static io.kobot.connect.kochava.EngagementSchema.ORIGINATION_IP;
import static io.kobot.connect.kochava.EngagementSchema.TRACKING_URL;
import static io.kobot.connect.kochava.EngagementSchema.TYPE;
import static io.kobot.connect.kochava.EngagementSchema.USER_AGENT;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kobot.schema.Engagement;
import io.kobot.schema.InteractionType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Maps a Connect value onto an {@link Engagement}: a Struct with the Engagement's field names (from
 * {@link RegistryAvroConverter} or any Avro converter), or a Map from JsonConverter with schemas.enable=false.
 * Timestamps may be Dates, epoch millis or ISO-8601 text; event_data may be JSON text or the object itself. A value
 * that cannot be mapped raises {@link DataException}, a permanent failure of that record.
 */
public final class EngagementValues {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EngagementValues() {}

    /**
     * @param recordTimestamp the Kafka record's timestamp, standing in for an absent ingested_at (null if none)
     */
    public static Engagement fromStruct(Struct struct, Long recordTimestamp) {
        return from(name -> struct.schema().field(name) == null ? null : struct.get(name), recordTimestamp);
    }

    /** @see #fromStruct */
    public static Engagement fromMap(Map<?, ?> map, Long recordTimestamp) {
        return from(map::get, recordTimestamp);
    }

    private static Engagement from(Function<String, Object> fields, Long recordTimestamp) {
        Instant occurredAt = instant(OCCURRED_AT, required(OCCURRED_AT, fields));
        Object ingestedAt = fields.apply(INGESTED_AT);
        return Engagement.newBuilder()
                .setInteractionId(text(INTERACTION_ID, required(INTERACTION_ID, fields)))
                .setKochavaAppId(text(KOCHAVA_APP_ID, required(KOCHAVA_APP_ID, fields)))
                .setType(type(required(TYPE, fields)))
                .setFbUserId(text(FB_USER_ID, fields.apply(FB_USER_ID)))
                .setOccurredAt(occurredAt)
                .setEventName(text(EVENT_NAME, fields.apply(EVENT_NAME)))
                .setEventData(json(fields.apply(EVENT_DATA)))
                .setTrackingUrl(text(TRACKING_URL, fields.apply(TRACKING_URL)))
                .setDeviceIds(deviceIds(fields.apply(DEVICE_IDS)))
                .setIdentityLinked(bool(IDENTITY_LINKED, fields.apply(IDENTITY_LINKED)))
                .setOriginationIp(text(ORIGINATION_IP, fields.apply(ORIGINATION_IP)))
                .setUserAgent(text(USER_AGENT, fields.apply(USER_AGENT)))
                .setIngestedAt(
                        ingestedAt != null
                                ? instant(INGESTED_AT, ingestedAt)
                                : recordTimestamp != null ? Instant.ofEpochMilli(recordTimestamp) : occurredAt)
                .build();
    }

    private static Object required(String name, Function<String, Object> fields) {
        Object value = fields.apply(name);
        if (value == null) throw new DataException("Engagement field " + name + " is missing");
        return value;
    }

    private static String text(String name, Object value) {
        if (value == null || value instanceof String) return (String) value;
        throw new DataException("Engagement field " + name + " must be a string, got " + typeOf(value));
    }

    private static InteractionType type(Object value) {
        String symbol = text(TYPE, value);
        try {
            return InteractionType.valueOf(symbol.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DataException(
                    "Engagement field " + TYPE + " must be IMPRESSION, CLICK or EVENT, got '" + symbol + "'");
        }
    }

    private static Instant instant(String name, Object value) {
        if (value instanceof Date date) return date.toInstant();
        if (value instanceof Number number) return Instant.ofEpochMilli(number.longValue());
        if (value instanceof String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new DataException("Engagement field " + name + " must be ISO-8601, got '" + text + "'");
            }
        }
        throw new DataException("Engagement field " + name + " must be a timestamp, epoch millis or ISO-8601 text, got "
                + typeOf(value));
    }

    private static boolean bool(String name, Object value) {
        if (value == null) return false;
        if (value instanceof Boolean bool) return bool;
        throw new DataException("Engagement field " + name + " must be a boolean, got " + typeOf(value));
    }

    /** JSON text as it is; an object or value given directly (schemaless JSON) becomes its JSON text. */
    private static String json(Object value) {
        if (value == null || value instanceof String) return (String) value;
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new DataException("Engagement field " + EVENT_DATA + " cannot be written as JSON", e);
        }
    }

    private static Map<String, String> deviceIds(Object value) {
        if (value == null) return Map.of();
        if (!(value instanceof Map<?, ?> map))
            throw new DataException("Engagement field " + DEVICE_IDS + " must be a map, got " + typeOf(value));
        Map<String, String> ids = new LinkedHashMap<>();
        map.forEach((key, id) -> {
            if (key != null && id != null) ids.put(key.toString(), id.toString());
        });
        return ids;
    }

    private static String typeOf(Object value) {
        return value.getClass().getSimpleName();
    }
}
