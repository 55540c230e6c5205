package io.kobot.devstack.sample;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One valid interaction, field by field as the contract's {@code BotInteraction} has them.
 *
 * @param id            the generator's number for it (the position of its first occurrence)
 * @param fbUserId      null for an impression or click without a user in scope
 * @param eventName     set for events only
 * @param eventData     JSON text, set for events only
 * @param trackingUrl   set for impressions and clicks only
 * @param originationIp null unless the generator is asked for one
 */
public record SampleInteraction(
        int id,
        String interactionId,
        String kochavaAppId,
        InteractionKind kind,
        String fbUserId,
        long occurredAtMillis,
        String eventName,
        String eventData,
        String trackingUrl,
        String originationIp,
        Map<String, String> deviceIds) {

    /** The join key the contract asks producers to use: fb_user_id, else the interaction id. */
    public byte[] key() {
        return (fbUserId != null ? fbUserId : interactionId).getBytes(StandardCharsets.UTF_8);
    }

    public boolean isEvent() {
        return kind == InteractionKind.EVENT;
    }
}
