package io.kobot.streams.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kobot.schema.deadletter.RejectionReason;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Typed access to the fields of a JSON record, shared by the JSON readers of every contract type. Strict on
 * types: a field of the wrong type is an error, never silently coerced to null.
 */
public final class JsonFields {
    /** Jackson's own bound on nesting, a backstop behind {@link #parse(byte[], int)}'s scan: no StackOverflowError. */
    static final int MAX_NESTING_DEPTH = 1000;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .build())
            .build());

    private final ObjectNode json;

    private JsonFields(ObjectNode json) {
        this.json = json;
    }

    /**
     * Parses UTF-8 bytes that must hold a JSON object whose only nested field is {@code event_data}: nesting deeper
     * than {@code maxEventDataDepth} below the record's own object is {@link RejectionReason#EVENT_DATA_TOO_DEEP}.
     */
    public static JsonFields parse(byte[] bytes, int maxEventDataDepth) throws InvalidRecordException {
        if (JsonDepth.exceeds(bytes, maxEventDataDepth + 1)) {
            throw EventData.tooDeep(maxEventDataDepth);
        }
        return parse(bytes);
    }

    /** Parses UTF-8 bytes that must hold a JSON object. */
    public static JsonFields parse(byte[] bytes) throws InvalidRecordException {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException(
                    RejectionReason.UNPARSEABLE,
                    "value is neither Avro nor valid JSON (" + Locations.describe(e) + ")");
        } catch (IOException e) {
            throw new InvalidRecordException(RejectionReason.UNPARSEABLE, "value could not be read as JSON", e);
        }
        if (!(node instanceof ObjectNode)) {
            throw new InvalidRecordException(RejectionReason.UNPARSEABLE, "value is JSON but not a JSON object");
        }
        return new JsonFields((ObjectNode) node);
    }

    /** True when the bytes look like a JSON object (after optional whitespace and a UTF-8 byte-order mark). */
    public static boolean looksLikeJsonObject(byte[] bytes) {
        int i = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            i = 3;
        }
        while (i < bytes.length && Character.isWhitespace(bytes[i])) {
            i++;
        }
        return i < bytes.length && bytes[i] == '{';
    }

    public JsonNode node(String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? null : node;
    }

    public String text(String field, String absent) throws InvalidRecordException {
        JsonNode node = node(field);
        if (node == null) {
            return absent;
        }
        if (!node.isTextual()) {
            throw new InvalidRecordException(RejectionReason.INVALID_FIELD_TYPE, field + " must be a string");
        }
        return node.textValue();
    }

    /**
     * Ids may be sent as JSON numbers by bots that store them as integers (JavaScript, Python): a JSON integer is
     * taken as its exact decimal digits (Jackson reads integer tokens as int, long or BigInteger, never through a
     * double), so ids beyond 2^53 keep every digit. A number with a fraction or an exponent is refused
     * ({@link RejectionReason#INVALID_FIELD_TYPE}): its digits are not an id.
     */
    public String id(String field, String absent) throws InvalidRecordException {
        JsonNode node = node(field);
        if (node != null && node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        return text(field, absent);
    }

    /** Epoch milliseconds (number or digits) or an ISO-8601 date-time with an offset; null when absent. */
    public Instant instant(String field) throws InvalidRecordException {
        JsonNode node = node(field);
        if (node == null) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Instant.ofEpochMilli(node.longValue());
        }
        if (node.isTextual()) {
            String text = node.textValue().trim();
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notIso) {
                try {
                    return Instant.ofEpochMilli(Long.parseLong(text));
                } catch (NumberFormatException notMillis) {
                    // falls through to the error below
                }
            }
        }
        throw new InvalidRecordException(
                RejectionReason.INVALID_FIELD_TYPE,
                field + " must be epoch milliseconds or an ISO-8601 date-time with an offset");
    }

    /** A JSON object of string (or integral) values; empty when absent. */
    public Map<String, String> stringMap(String field) throws InvalidRecordException {
        JsonNode node = node(field);
        Map<String, String> map = new HashMap<>();
        if (node == null) {
            return map;
        }
        if (!node.isObject()) {
            throw new InvalidRecordException(RejectionReason.INVALID_FIELD_TYPE, field + " must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode value = entry.getValue();
            if (value.isTextual() || value.isIntegralNumber()) {
                map.put(entry.getKey(), value.asText());
            } else if (!value.isNull()) {
                throw new InvalidRecordException(RejectionReason.INVALID_FIELD_TYPE, field + " values must be strings");
            }
        }
        return map;
    }
}
