package io.kobot.kochava;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: before retry n (n = 1 after the first attempt) it waits a random time in
 * [0, min(max-backoff, initial-backoff * 2^(n-1))], spreading the retries of many clients after an outage. A server's
 * {@code Retry-After} is a floor for that wait. No retry starts later than the first attempt plus max-retry-time.
 */
public final class RetryPolicy {

    private final long initialBackoffMs;
    private final long maxBackoffMs;
    private final Duration maxRetryTime;
    private final LongUnaryOperator jitter;

    public RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration maxRetryTime) {
        this(
                initialBackoff,
                maxBackoff,
                maxRetryTime,
                bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    }

    /** @param jitter maps a bound in ms to a wait in [0, bound] */
    RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration maxRetryTime, LongUnaryOperator jitter) {
        this.initialBackoffMs = initialBackoff.toMillis();
        this.maxBackoffMs = maxBackoff.toMillis();
        this.maxRetryTime = maxRetryTime;
        this.jitter = jitter;
    }

    public static RetryPolicy from(KochavaClientConfig config) {
        return new RetryPolicy(config.initialBackoff(), config.maxBackoff(), config.maxRetryTime());
    }

    /**
     * The wait before the next attempt, or empty when it would start after {@code firstAttemptAt} plus
     * max-retry-time and delivery should give up.
     *
     * @param attempts       attempts made so far (at least 1)
     * @param firstAttemptAt when the first attempt started
     * @param now            now
     * @param retryAfter     the server's Retry-After, or null
     */
    public Optional<Duration> nextDelay(int attempts, Instant firstAttemptAt, Instant now, Duration retryAfter) {
        Duration delay = Duration.ofMillis(jitter.applyAsLong(backoffBound(attempts)));
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) delay = retryAfter;
        Instant giveUpAt = firstAttemptAt.plus(maxRetryTime);
        return now.plus(delay).isAfter(giveUpAt) ? Optional.empty() : Optional.of(delay);
    }

    /** min(max-backoff, initial-backoff * 2^(attempts-1)) in ms, without overflowing. */
    long backoffBound(int attempts) {
        int shift = Math.max(0, attempts - 1);
        if (shift >= Long.SIZE - 1 || initialBackoffMs > (maxBackoffMs >> shift)) return maxBackoffMs;
        return Math.min(maxBackoffMs, initialBackoffMs << shift);
    }
}
