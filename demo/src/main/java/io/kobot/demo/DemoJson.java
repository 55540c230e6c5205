package io.kobot.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.IdentityLink;

/** The JSON form of the contract, as a bot server in any language would publish it. */
final class DemoJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DemoJson() {}

    /**
     * @param isoTimes occurred_at as ISO-8601 text rather than epoch millis, and event_data as an embedded
     *                 object rather than JSON text: both forms are part of the contract
     */
    static String interaction(BotInteraction interaction, boolean isoTimes) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("interaction_id", interaction.getInteractionId());
        json.put("kochava_app_id", interaction.getKochavaAppId());
        json.put("type", interaction.getType().name());
        if (interaction.getFbUserId() != null) {
            json.put("fb_user_id", interaction.getFbUserId());
        }
        if (isoTimes) {
            json.put("occurred_at", interaction.getOccurredAt().toString());
        } else {
            json.put("occurred_at", interaction.getOccurredAt().toEpochMilli());
        }
        if (interaction.getEventName() != null) {
            json.put("event_name", interaction.getEventName());
        }
        if (interaction.getEventData() != null) {
            if (isoTimes) {
                json.set("event_data", parse(interaction.getEventData()));
            } else {
                json.put("event_data", interaction.getEventData());
            }
        }
        if (interaction.getTrackingUrl() != null) {
            json.put("tracking_url", interaction.getTrackingUrl());
        }
        if (interaction.getOriginationIp() != null) {
            json.put("origination_ip", interaction.getOriginationIp());
        }
        return json.toString();
    }

    static String identityLink(IdentityLink link) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("fb_user_id", link.getFbUserId());
        ObjectNode ids = json.putObject("device_ids");
        link.getDeviceIds().forEach((name, value) -> ids.put(name.toString(), value.toString()));
        json.put("updated_at", link.getUpdatedAt().toEpochMilli());
        return json.toString();
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the sample's event_data is not JSON", e);
        }
    }
}
