package io.kobot.streams.deliver;

import io.kobot.kochava.DeliveryResult;
import io.kobot.schema.Engagement;
import io.kobot.schema.EngagementDelivery;
import io.kobot.schema.IdentityLink;
import io.kobot.schema.InteractionType;
import java.time.Duration;
import java.time.Instant;

/**
 * The pipeline's view of a delivery: the audit record for {@code topics.deliveries}, and the latency the
 * statistics report. The Kochava client only says how a delivery ended; what the pipeline records of it is decided
 * here.
 */
final class DeliveryAudit {
    private DeliveryAudit() {}

    /** The audit record of {@code result}, the outcome of delivering {@code engagement}. */
    static EngagementDelivery record(Engagement engagement, DeliveryResult result) {
        return EngagementDelivery.newBuilder()
                .setInteractionId(engagement.getInteractionId())
                .setKochavaAppId(engagement.getKochavaAppId())
                .setType(engagement.getType())
                .setOutcome(result.outcome())
                .setHttpStatus(result.httpStatus())
                .setAttempts(result.attempts())
                .setFirstAttemptAt(result.firstAttemptAt())
                .setLastAttemptAt(result.lastAttemptAt())
                .setLatencyMillis(latency(engagement, result).toMillis())
                .setError(result.error())
                .build();
    }

    /**
     * The audit record of forwarding {@code link} for {@code appId}: marked {@code identity_link}, with
     * {@code identity-link@<updated_at millis>} as its id, type EVENT (a server-to-server POST, as events are), and
     * latency from the link record's timestamp.
     */
    static EngagementDelivery linkRecord(IdentityLink link, String appId, long recordTimestamp, DeliveryResult result) {
        Duration latency = Duration.between(Instant.ofEpochMilli(recordTimestamp), result.lastAttemptAt());
        return EngagementDelivery.newBuilder()
                .setInteractionId("identity-link@" + link.getUpdatedAt().toEpochMilli())
                .setKochavaAppId(appId)
                .setType(InteractionType.EVENT)
                .setOutcome(result.outcome())
                .setHttpStatus(result.httpStatus())
                .setAttempts(result.attempts())
                .setFirstAttemptAt(result.firstAttemptAt())
                .setLastAttemptAt(result.lastAttemptAt())
                .setLatencyMillis(latency.isNegative() ? 0 : latency.toMillis())
                .setError(result.error())
                .setIdentityLink(true)
                .build();
    }

    /** Time from the raw record's timestamp (ingested_at) to the end of the last attempt, never negative. */
    static Duration latency(Engagement engagement, DeliveryResult result) {
        Duration latency = Duration.between(engagement.getIngestedAt(), result.lastAttemptAt());
        // Clock skew between the broker that stamped the record and this host can make it look negative.
        return latency.isNegative() ? Duration.ZERO : latency;
    }
}
