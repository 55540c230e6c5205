package io.kobot.streams.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kobot.schema.deadletter.RejectionReason;
import java.io.IOException;
import java.io.StringWriter;

/**
 * The one place that decides what {@code event_data} means. Downstream it is always canonical, compact JSON
 * text (an object or a value) or null, so the Kochava client can embed it as JSON without guessing.
 */
final class EventData {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private EventData() {}

    /**
     * From the JSON form: an object or a non-string value is taken as is; a string holding a JSON object or
     * array is taken as JSON text (bots that pre-serialise); any other string is a string value.
     */
    static String fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            String text = node.textValue().trim();
            if (text.startsWith("{") || text.startsWith("[")) {
                return text; // validated and canonicalised by canonical()
            }
        }
        return node.toString();
    }

    /**
     * Validates JSON text and returns its compact form. The size limit is checked first, on the UTF-8 length,
     * so that a huge value is rejected without being parsed.
     */
    static String canonical(String text, int maxBytes, int maxDepth) throws InvalidRecordException {
        if (text == null) {
            return null;
        }
        int bytes = Utf8.length(text);
        if (bytes > maxBytes) {
            throw new InvalidRecordException(
                    RejectionReason.EVENT_DATA_TOO_LARGE,
                    "event_data is " + bytes + " bytes, more than the limit of " + maxBytes);
        }
        // Before the parser, so that nesting too deep is told as such, never as the parser's own limit.
        if (JsonDepth.exceeds(text, maxDepth)) {
            throw tooDeep(maxDepth);
        }
        // Copied token by token: the text a JSON tree's toString() would give, without building the tree.
        try (JsonParser parser = MAPPER.createParser(text);
                StringWriter compact = new StringWriter(text.length());
                JsonGenerator generator = MAPPER.createGenerator(compact)) {
            if (parser.nextToken() == null) {
                throw new InvalidRecordException(RejectionReason.INVALID_EVENT_DATA, "event_data is empty");
            }
            generator.copyCurrentStructure(parser);
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "trailing tokens", parser.currentTokenLocation());
            }
            generator.flush();
            return compact.toString();
        } catch (JsonProcessingException e) {
            // The location only: the parser's own message may quote the data, which can be personal.
            throw new InvalidRecordException(
                    RejectionReason.INVALID_EVENT_DATA,
                    "event_data is not valid JSON text (" + Locations.describe(e) + ")");
        } catch (IOException e) {
            throw new IllegalStateException("writing to a string failed", e); // a StringWriter does not fail
        }
    }

    static InvalidRecordException tooDeep(int maxDepth) {
        return new InvalidRecordException(
                RejectionReason.EVENT_DATA_TOO_DEEP,
                "event_data nests objects or arrays more than " + maxDepth + " levels deep");
    }
}
