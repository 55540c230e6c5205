package io.kobot.streams.topology;

import io.kobot.schema.BotInteraction;
import io.kobot.schema.IdentityLink;
import io.kobot.schema.InteractionType;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Test data in the contract's shapes. */
final class Interactions {
    static final String APP = "kobot-demo-1a2b3c";

    private Interactions() {}

    static BotInteraction.Builder event(String id, String user, Instant occurredAt) {
        return BotInteraction.newBuilder()
                .setInteractionId(id)
                .setKochavaAppId(APP)
                .setType(InteractionType.EVENT)
                .setFbUserId(user)
                .setOccurredAt(occurredAt)
                .setEventName("Purchase")
                .setEventData("{\"currency\":\"USD\",\"sum\":100}")
                .setDeviceIds(new HashMap<>());
    }

    static BotInteraction.Builder click(String id, String user, Instant occurredAt) {
        return BotInteraction.newBuilder()
                .setInteractionId(id)
                .setKochavaAppId(APP)
                .setType(InteractionType.CLICK)
                .setFbUserId(user)
                .setOccurredAt(occurredAt)
                .setTrackingUrl("https://smart.link/abc123?creative=greeting")
                .setDeviceIds(new HashMap<>());
    }

    static IdentityLink link(String user, Instant updatedAt, Map<String, String> deviceIds) {
        return IdentityLink.newBuilder()
                .setFbUserId(user)
                .setDeviceIds(new HashMap<>(deviceIds))
                .setUpdatedAt(updatedAt)
                .build();
    }

    static String json(String id, String user, String type, Object occurredAt, String extraFields) {
        StringBuilder json = new StringBuilder("{");
        if (id != null) {
            json.append("\"interaction_id\":\"").append(id).append("\",");
        }
        json.append("\"kochava_app_id\":\"").append(APP).append("\",");
        json.append("\"type\":\"").append(type).append("\",");
        if (user != null) {
            json.append("\"fb_user_id\":\"").append(user).append("\",");
        }
        if (occurredAt instanceof String) {
            json.append("\"occurred_at\":\"").append(occurredAt).append("\"");
        } else {
            json.append("\"occurred_at\":").append(occurredAt);
        }
        if (extraFields != null && !extraFields.isEmpty()) {
            json.append(',').append(extraFields);
        }
        return json.append('}').toString();
    }
}
