package io.kobot.devstack.kochava;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the stand-in reads from an engagement POST body: one event object ({@code {"kochava_app_id": …, "data":
 * {"event_data": {…}}}}) or an array of them ({@code kochava.body-mode=array}). The body may be anything.
 */
final class EngagementBody {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The parsed body; null when it is no JSON. */
    private final JsonNode json;

    private EngagementBody(JsonNode json) {
        this.json = json;
    }

    static EngagementBody parse(byte[] body) {
        if (body.length == 0) {
            return new EngagementBody(null);
        }
        try {
            return new EngagementBody(MAPPER.readTree(body));
        } catch (IOException e) {
            return new EngagementBody(null);
        }
    }

    JsonNode json() {
        return json;
    }

    /**
     * Per event object, the text of {@code data.event_data.<idField>}, or null where it has none; empty when the
     * body holds no event object.
     */
    List<String> eventIds(String idField) {
        List<String> ids = new ArrayList<>();
        for (JsonNode event : events()) {
            JsonNode id = event.path("data").path("event_data").path(idField);
            ids.add(id.isValueNode() && !id.isNull() ? id.asText() : null);
        }
        return ids;
    }

    /** Whether any event is for {@code appId}. */
    boolean isForApp(String appId) {
        for (JsonNode event : events()) {
            if (appId.equals(event.path("kochava_app_id").asText(null))) {
                return true;
            }
        }
        return false;
    }

    private List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        if (json != null && json.isObject()) {
            events.add(json);
        } else if (json != null && json.isArray()) {
            json.forEach(element -> {
                if (element.isObject()) {
                    events.add(element);
                }
            });
        }
        return events;
    }
}
