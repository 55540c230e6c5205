package io.kobot.streams.deliver;

import java.time.Duration;
import java.util.Map;

/**
 * How long one stream thread may still block for backpressure: at most a quarter of {@code max.poll.interval.ms}
 * in each half of it, so that, whatever number of records and tasks a thread handles between two polls, it
 * blocks for at most half the interval and polls again in time. Used by the tasks of one thread only.
 */
final class BlockingBudget {
    private static final long DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;

    private final long windowNanos;
    private final long allowanceNanos;
    private long windowStart = System.nanoTime();
    private long spentNanos;

    BlockingBudget(Duration maxPollInterval) {
        this.windowNanos = maxPollInterval.toNanos() / 2;
        this.allowanceNanos = maxPollInterval.toNanos() / 4;
    }

    /** The budget for the main consumer's {@code max.poll.interval.ms} as Kafka Streams configures it. */
    static BlockingBudget forStreamsConfig(Map<String, Object> appConfigs) {
        long millis = DEFAULT_MAX_POLL_INTERVAL_MS;
        for (String key : new String[] {
            "max.poll.interval.ms", "consumer.max.poll.interval.ms", "main.consumer.max.poll.interval.ms"
        }) {
            Object value = appConfigs.get(key);
            if (value != null) {
                millis = Long.parseLong(value.toString().trim());
            }
        }
        return new BlockingBudget(Duration.ofMillis(millis));
    }

    /** How much of {@code wantedNanos} may be spent blocking now. */
    long available(long wantedNanos) {
        long now = System.nanoTime();
        if (now - windowStart >= windowNanos) {
            windowStart = now;
            spentNanos = 0;
        }
        return Math.max(0, Math.min(wantedNanos, allowanceNanos - spentNanos));
    }

    void spend(long nanos) {
        spentNanos += nanos;
    }
}
