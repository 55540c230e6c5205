package io.kobot.streams.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.kochava.DeliveryResult;
import io.kobot.schema.DeliveryOutcome;
import io.kobot.schema.Engagement;
import io.kobot.schema.EngagementDelivery;
import io.kobot.schema.InteractionType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryAuditTest {
    private static final Instant OCCURRED_AT = Instant.ofEpochSecond(1_700_000_000L, 678_000_000);
    private static final Instant INGESTED_AT = OCCURRED_AT.plusMillis(250);

    @Test
    void buildsTheAuditRecord() {
        Engagement engagement = event("i-1", "kobot-demo", "fb-1");
        Instant first = INGESTED_AT.plusMillis(100);
        Instant last = INGESTED_AT.plusMillis(1_500);
        DeliveryResult result = new DeliveryResult(DeliveryOutcome.REJECTED, 400, 1, first, last, "HTTP 400: no");

        EngagementDelivery delivery = DeliveryAudit.record(engagement, result);

        assertThat(delivery.getInteractionId()).isEqualTo("i-1");
        assertThat(delivery.getKochavaAppId()).isEqualTo("kobot-demo");
        assertThat(delivery.getType()).isEqualTo(InteractionType.EVENT);
        assertThat(delivery.getOutcome()).isEqualTo(DeliveryOutcome.REJECTED);
        assertThat(delivery.getHttpStatus()).isEqualTo(400);
        assertThat(delivery.getAttempts()).isEqualTo(1);
        assertThat(delivery.getFirstAttemptAt()).isEqualTo(first);
        assertThat(delivery.getLastAttemptAt()).isEqualTo(last);
        assertThat(delivery.getLatencyMillis()).isEqualTo(1_500);
        assertThat(delivery.getError()).isEqualTo("HTTP 400: no");
        assertThat(result.delivered()).isFalse();
    }

    @Test
    void latencyIsNeverNegative() {
        Engagement engagement = event("i-1", "kobot-demo", "fb-1");
        Instant early = INGESTED_AT.minusSeconds(1);

        DeliveryResult result = new DeliveryResult(DeliveryOutcome.DELIVERED, 200, 1, early, early, null);

        assertThat(DeliveryAudit.record(engagement, result).getLatencyMillis()).isZero();
        assertThat(DeliveryAudit.latency(engagement, result)).isZero();
    }

    @Test
    void scopesKeepEveryOutcomeOnlyFailuresOrNone() {
        Engagement engagement = event("i-1", "kobot-demo", "fb-1");
        EngagementDelivery delivered = DeliveryAudit.record(
                engagement, new DeliveryResult(DeliveryOutcome.DELIVERED, 200, 1, INGESTED_AT, INGESTED_AT, null));
        EngagementDelivery rejected = DeliveryAudit.record(
                engagement, new DeliveryResult(DeliveryOutcome.REJECTED, 400, 1, INGESTED_AT, INGESTED_AT, "HTTP 400"));
        EngagementDelivery exhausted = DeliveryAudit.record(
                engagement,
                new DeliveryResult(DeliveryOutcome.RETRIES_EXHAUSTED, 503, 9, INGESTED_AT, INGESTED_AT, "HTTP 503"));

        assertThat(List.of(delivered, rejected, exhausted)).allMatch(AuditScope.ALL::keeps);
        assertThat(List.of(delivered, rejected, exhausted))
                .filteredOn(AuditScope.FAILURES::keeps)
                .containsExactly(rejected, exhausted);
        assertThat(List.of(delivered, rejected, exhausted)).noneMatch(AuditScope.OFF::keeps);
    }

    private static Engagement event(String interactionId, String appId, String fbUserId) {
        return Engagement.newBuilder()
                .setInteractionId(interactionId)
                .setKochavaAppId(appId)
                .setType(InteractionType.EVENT)
                .setFbUserId(fbUserId)
                .setOccurredAt(OCCURRED_AT)
                .setEventName("Purchase")
                .setDeviceIds(Map.of("fb_user_id", fbUserId))
                .setIngestedAt(INGESTED_AT)
                .build();
    }
}
