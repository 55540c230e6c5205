package io.kobot.streams.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.InteractionType;
import io.kobot.schema.deadletter.RejectionReason;
import java.time.Instant;
import java.util.Locale;

/**
 * Reads the JSON form of a {@link BotInteraction}, so that bot servers in any language can publish without an
 * Avro library. Field names are those of the Avro schema. Lenient where the contract allows it:
 * {@code occurred_at} as epoch millis or ISO-8601, {@code type} in any case, ids given as JSON numbers, and
 * {@code event_data} as an object, a value, or JSON text. Required-field rules are left to
 * {@link InteractionValidator}, which applies them to Avro and JSON alike.
 */
public final class JsonInteractionReader implements ValueDecoder.JsonReader<BotInteraction> {
    private final int maxEventDataDepth;

    public JsonInteractionReader() {
        this(InputLimits.DEFAULTS.maxEventDataDepth());
    }

    /** @param maxEventDataDepth how deep {@code event_data} may nest ({@link RejectionReason#EVENT_DATA_TOO_DEEP}) */
    public JsonInteractionReader(int maxEventDataDepth) {
        this.maxEventDataDepth = maxEventDataDepth;
    }

    @Override
    public BotInteraction read(byte[] bytes) throws InvalidRecordException {
        JsonFields json = JsonFields.parse(bytes, maxEventDataDepth);
        Instant occurredAt = json.instant("occurred_at");
        if (occurredAt == null) {
            throw new InvalidRecordException(RejectionReason.MISSING_OCCURRED_AT, "occurred_at is missing");
        }
        // In the schema's field order; the all-args constructor skips the builder's per-field checks and copies.
        return new BotInteraction(
                json.id("interaction_id", ""),
                json.text("kochava_app_id", ""),
                type(json.node("type")),
                json.id("fb_user_id", null),
                occurredAt,
                json.text("event_name", null),
                EventData.fromJson(json.node("event_data")),
                json.text("tracking_url", null),
                json.stringMap("device_ids"),
                json.text("origination_ip", null),
                json.text("user_agent", null));
    }

    private static InteractionType type(JsonNode node) throws InvalidRecordException {
        if (node == null) {
            throw new InvalidRecordException(RejectionReason.INVALID_TYPE, "type is missing");
        }
        if (!node.isTextual()) {
            throw new InvalidRecordException(RejectionReason.INVALID_TYPE, "type must be a string");
        }
        try {
            return InteractionType.valueOf(node.textValue().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException(
                    RejectionReason.INVALID_TYPE, "type must be one of IMPRESSION, CLICK, EVENT");
        }
    }
}
