package io.kobot.registry;

import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.DeliveryOutcome;
import io.kobot.schema.Engagement;
import io.kobot.schema.EngagementDelivery;
import io.kobot.schema.IdentityLink;
import io.kobot.schema.InteractionType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** One filled-in record of each contract type, with made-up identifiers. */
final class TestRecords {

    static final Instant AT = Instant.parse("2024-05-01T10:15:30.123Z");

    private TestRecords() {}

    static BotInteraction botInteraction(String interactionId) {
        return BotInteraction.newBuilder()
                .setInteractionId(interactionId)
                .setKochavaAppId("kobot-demo-1a2b3c")
                .setType(InteractionType.EVENT)
                .setFbUserId("fb-user-1")
                .setOccurredAt(AT)
                .setEventName("Purchase")
                .setEventData("{\"currency\":\"USD\",\"sum\":100}")
                .setDeviceIds(Map.of("adid", "ad-1"))
                .setOriginationIp("192.0.2.1")
                .setUserAgent("test-agent")
                .build();
    }

    static IdentityLink identityLink() {
        return IdentityLink.newBuilder()
                .setFbUserId("fb-user-1")
                .setDeviceIds(Map.of("kochava_device_id", "KD1", "idfa", "IDFA-1"))
                .setUpdatedAt(AT)
                .build();
    }

    static Engagement engagement() {
        return Engagement.newBuilder()
                .setInteractionId("i-1")
                .setKochavaAppId("kobot-demo-1a2b3c")
                .setType(InteractionType.CLICK)
                .setFbUserId("fb-user-1")
                .setOccurredAt(AT)
                .setTrackingUrl("https://example.invalid/click")
                .setDeviceIds(Map.of("fb_user_id", "fb-user-1"))
                .setIdentityLinked(true)
                .setIngestedAt(AT.plusMillis(5))
                .build();
    }

    static EngagementDelivery engagementDelivery() {
        return EngagementDelivery.newBuilder()
                .setInteractionId("i-1")
                .setKochavaAppId("kobot-demo-1a2b3c")
                .setType(InteractionType.EVENT)
                .setOutcome(DeliveryOutcome.DELIVERED)
                .setHttpStatus(200)
                .setAttempts(1)
                .setFirstAttemptAt(AT)
                .setLastAttemptAt(AT.plusMillis(40))
                .setLatencyMillis(45)
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setReasonCode("UNPARSEABLE")
                .setMessage("not JSON")
                .setStage("ingest")
                .setSourceTopic("bot.interactions")
                .setSourcePartition(3)
                .setSourceOffset(42L)
                .setOriginalKey(ByteBuffer.wrap("k".getBytes(StandardCharsets.UTF_8)))
                .setOriginalValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setFailedAt(AT)
                .build();
    }
}
