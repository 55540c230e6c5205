package io.kobot.streams.deliver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free histogram of latencies in fixed buckets growing 1-2-5 per decade, from 1 ms to 1 h. A percentile is
 * the upper bound of the bucket it falls in: at most 2.5 times the true value, which is enough to tell seconds
 * from minutes, and costs no allocation on the delivery path.
 */
public final class LatencyHistogram {
    private static final long[] UPPER_BOUNDS_MILLIS = bounds();

    /** One counter per bound, then one for everything above the last bound. */
    private final AtomicLongArray counts = new AtomicLongArray(UPPER_BOUNDS_MILLIS.length + 1);

    public void record(Duration latency) {
        long millis = Math.max(0, latency.toMillis());
        int bucket = 0;
        while (bucket < UPPER_BOUNDS_MILLIS.length && millis > UPPER_BOUNDS_MILLIS[bucket]) {
            bucket++;
        }
        counts.incrementAndGet(bucket);
    }

    public long count() {
        long total = 0;
        for (int i = 0; i < counts.length(); i++) {
            total += counts.get(i);
        }
        return total;
    }

    /**
     * The latency below which a {@code quantile} (0 to 1) of the recorded ones lie, as a bucket bound; zero when
     * nothing was recorded, and longer than an hour for the overflow bucket.
     */
    public Duration percentile(double quantile) {
        if (quantile < 0 || quantile > 1) {
            throw new IllegalArgumentException("quantile must be between 0 and 1, got " + quantile);
        }
        long total = count();
        if (total == 0) {
            return Duration.ZERO;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < UPPER_BOUNDS_MILLIS.length; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Duration.ofMillis(UPPER_BOUNDS_MILLIS[i]);
            }
        }
        return Duration.ofMillis(UPPER_BOUNDS_MILLIS[UPPER_BOUNDS_MILLIS.length - 1] + 1);
    }

    private static long[] bounds() {
        long hour = Duration.ofHours(1).toMillis();
        long[] steps = {1, 2, 5};
        List<Long> bounds = new ArrayList<>();
        for (long decade = 1; decade < hour; decade *= 10) {
            for (long step : steps) {
                if (step * decade < hour) {
                    bounds.add(step * decade);
                }
            }
        }
        bounds.add(hour);
        return bounds.stream().mapToLong(Long::longValue).toArray();
    }
}
