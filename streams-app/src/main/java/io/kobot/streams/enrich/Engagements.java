package io.kobot.streams.enrich;

import io.kobot.schema.BotInteraction;
import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The one definition of an {@link Engagement}: an interaction plus its user's IdentityLink. Identifiers merge in a
 * fixed order of trust: the link's first, then the bot's own on top (the link never overwrites what the bot sent),
 * then {@code fb_user_id}, which is always present when known.
 */
public final class Engagements {
    public static final String FB_USER_ID = "fb_user_id";

    private Engagements() {}

    /**
     * @param link       the user's link, or null (no link, or no user)
     * @param ingestedAt the raw record's timestamp, where end-to-end latency starts
     */
    public static Engagement of(BotInteraction interaction, IdentityLink link, Instant ingestedAt) {
        Map<String, String> deviceIds = new HashMap<>();
        boolean linked = isLinked(link);
        if (linked) {
            deviceIds.putAll(link.getDeviceIds());
        }
        deviceIds.putAll(interaction.getDeviceIds());
        if (interaction.getFbUserId() != null) {
            deviceIds.put(FB_USER_ID, interaction.getFbUserId());
        }
        // In the schema's field order; the all-args constructor skips the builder's per-field checks.
        return new Engagement(
                interaction.getInteractionId(),
                interaction.getKochavaAppId(),
                interaction.getType(),
                interaction.getFbUserId(),
                interaction.getOccurredAt(),
                interaction.getEventName(),
                interaction.getEventData(),
                interaction.getTrackingUrl(),
                deviceIds,
                linked,
                interaction.getOriginationIp(),
                interaction.getUserAgent(),
                ingestedAt);
    }

    /** Whether the link contributes identifiers. */
    public static boolean isLinked(IdentityLink link) {
        return link != null && !link.getDeviceIds().isEmpty();
    }
}
