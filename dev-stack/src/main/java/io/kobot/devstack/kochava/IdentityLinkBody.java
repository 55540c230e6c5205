package io.kobot.devstack.kochava;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads an IdentityLink POST as Kochava documents it: a JSON object with a string {@code kochava_app_id}, a
 * non-empty object {@code device_id} and an object {@code data}, each with string values. Anything else is refused.
 */
final class IdentityLinkBody {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private IdentityLinkBody() {}

    /** The request, or null when the body is not an IdentityLink request. */
    static ReceivedIdentityLink parse(byte[] body, long receivedAtMillis) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
        if (root == null || !root.isObject() || !root.path("kochava_app_id").isTextual()) {
            return null;
        }
        Map<String, String> deviceIds = strings(root.get("device_id"));
        Map<String, String> data = strings(root.get("data"));
        if (deviceIds == null || deviceIds.isEmpty() || data == null) {
            return null;
        }
        return new ReceivedIdentityLink(root.get("kochava_app_id").textValue(), deviceIds, data, receivedAtMillis);
    }

    private static Map<String, String> strings(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        Map<String, String> values = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isTextual()) {
                return null;
            }
            values.put(field.getKey(), field.getValue().textValue());
        }
        return values;
    }
}
