package io.kobot.kochava;

import io.kobot.schema.DeliveryOutcome;
import io.kobot.schema.Engagement;
import io.kobot.schema.EngagementDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How the delivery of one engagement (or of one array batch) ended.
 *
 * @param outcome        DELIVERED, REJECTED (permanent failure) or RETRIES_EXHAUSTED
 * @param httpStatus     status of the last response; null when the last attempt got none or no attempt was made
 * @param attempts       requests made; 0 when the engagement could not be turned into a request
 * @param firstAttemptAt when the first request was sent (when delivery was decided, if none was)
 * @param lastAttemptAt  when the last request ended (when delivery was decided, if none was)
 * @param error          why it failed, free of fb_user_id: the last error, or the status and a short
 *                       classification of the body (never the body itself, which may echo personal data); null
 *                       when delivered
 */
public record DeliveryResult(
        DeliveryOutcome outcome,
        Integer httpStatus,
        int attempts,
        Instant firstAttemptAt,
        Instant lastAttemptAt,
        String error) {

    public DeliveryResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(firstAttemptAt, "firstAttemptAt");
        Objects.requireNonNull(lastAttemptAt, "lastAttemptAt");
        if (attempts < 0) throw new IllegalArgumentException("attempts must not be negative");
    }

    public boolean delivered() {
        return outcome == DeliveryOutcome.DELIVERED;
    }

    /** Time from the raw record's timestamp to the end of the last attempt, never negative. */
    public Duration latency(Engagement engagement) {
        Duration latency = Duration.between(engagement.getIngestedAt(), lastAttemptAt);
        // Clock skew between the broker that stamped the record and this host can make it look negative.
        return latency.isNegative() ? Duration.ZERO : latency;
    }

    /** The audit record of this result for {@code engagement}, for {@code bot.engagements.delivered}. */
    public EngagementDelivery toDelivery(Engagement engagement) {
        return EngagementDelivery.newBuilder()
                .setInteractionId(engagement.getInteractionId())
                .setKochavaAppId(engagement.getKochavaAppId())
                .setType(engagement.getType())
                .setOutcome(outcome)
                .setHttpStatus(httpStatus)
                .setAttempts(attempts)
                .setFirstAttemptAt(firstAttemptAt)
                .setLastAttemptAt(lastAttemptAt)
                .setLatencyMillis(latency(engagement).toMillis())
                .setError(error)
                .build();
    }
}
