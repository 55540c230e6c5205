package io.kobot.kochava;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.schema.DeliveryOutcome;
import io.kobot.schema.Engagement;
import io.kobot.schema.EngagementDelivery;
import io.kobot.schema.InteractionType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeliveryResultTest {

    @Test
    void buildsTheAuditRecord() {
        Engagement engagement = Engagements.event("i-1", "kobot-demo", "fb-1").build();
        Instant first = Engagements.INGESTED_AT.plusMillis(100);
        Instant last = Engagements.INGESTED_AT.plusMillis(1_500);
        DeliveryResult result = new DeliveryResult(DeliveryOutcome.REJECTED, 400, 1, first, last, "HTTP 400: no");

        EngagementDelivery delivery = result.toDelivery(engagement);

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
        Engagement engagement = Engagements.event("i-1", "kobot-demo", "fb-1").build();
        Instant early = Engagements.INGESTED_AT.minusSeconds(1);

        DeliveryResult result = new DeliveryResult(DeliveryOutcome.DELIVERED, 200, 1, early, early, null);

        assertThat(result.toDelivery(engagement).getLatencyMillis()).isZero();
    }
}
