package io.kobot.kochava;

import io.kobot.schema.DeliveryOutcome;
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
}
