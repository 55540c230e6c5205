package io.kobot.kochava;

import io.kobot.schema.Engagement;
import io.kobot.schema.InteractionType;
import java.time.Instant;
import java.util.Map;

/** Test engagements. */
final class Engagements {

    static final Instant OCCURRED_AT = Instant.ofEpochSecond(1_700_000_000L, 678_000_000);
    static final Instant INGESTED_AT = OCCURRED_AT.plusMillis(250);

    private Engagements() {}

    static Engagement.Builder event(String interactionId, String appId, String fbUserId) {
        return Engagement.newBuilder()
                .setInteractionId(interactionId)
                .setKochavaAppId(appId)
                .setType(InteractionType.EVENT)
                .setFbUserId(fbUserId)
                .setOccurredAt(OCCURRED_AT)
                .setEventName("Purchase")
                .setDeviceIds(fbUserId == null ? Map.of() : Map.of("fb_user_id", fbUserId))
                .setIngestedAt(INGESTED_AT);
    }

    static Engagement.Builder ping(InteractionType type, String trackingUrl, String fbUserId) {
        return Engagement.newBuilder()
                .setInteractionId("ping-1")
                .setKochavaAppId("kobot-demo")
                .setType(type)
                .setFbUserId(fbUserId)
                .setOccurredAt(OCCURRED_AT)
                .setTrackingUrl(trackingUrl)
                .setIngestedAt(INGESTED_AT);
    }
}
