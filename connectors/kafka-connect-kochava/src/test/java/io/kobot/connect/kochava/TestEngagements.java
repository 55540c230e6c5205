package io.kobot.connect.kochava;

import io.kobot.schema.Engagement;
import io.kobot.schema.InteractionType;
import java.time.Instant;
import java.util.Map;

/** Engagements for tests. */
final class TestEngagements {

    static final Instant OCCURRED_AT = Instant.parse("2026-03-01T12:00:00.123Z");
    static final Instant INGESTED_AT = OCCURRED_AT.plusMillis(250);

    private TestEngagements() {}

    static Engagement event(String interactionId, String eventName) {
        return Engagement.newBuilder()
                .setInteractionId(interactionId)
                .setKochavaAppId("kobot-test-app")
                .setType(InteractionType.EVENT)
                .setFbUserId("fb-" + interactionId)
                .setOccurredAt(OCCURRED_AT)
                .setEventName(eventName)
                .setEventData("{\"sum\":100}")
                .setDeviceIds(Map.of("fb_user_id", "fb-" + interactionId, "adid", "ad-1"))
                .setIdentityLinked(true)
                .setOriginationIp("203.0.113.7")
                .setUserAgent("Messenger")
                .setIngestedAt(INGESTED_AT)
                .build();
    }
}
