package io.kobot.kochava;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One {@link TokenBucket} per Kochava app id, so a noisy bot cannot use up the capacity of the others.
 *
 * <p>App ids come from the records, so the map must not keep every id ever seen: at most once per
 * {@value #SWEEP_INTERVAL_SECONDS} s, a reservation sweeps out the buckets that have refilled to capacity. A full
 * bucket is exactly what a new one would be, so dropping it changes no wait; a bucket that still owes time to
 * reservations it handed out is kept.
 */
final class AppRateLimiter {

    static final long SWEEP_INTERVAL_SECONDS = 60;
    private static final long SWEEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(SWEEP_INTERVAL_SECONDS);

    private final double permitsPerSecond;
    private final LongSupplier nanoTime;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    /** @param permitsPerSecond requests per second per app; 0 means no limit */
    AppRateLimiter(double permitsPerSecond, LongSupplier nanoTime) {
        this.permitsPerSecond = permitsPerSecond;
        this.nanoTime = nanoTime;
        this.lastSweep = new AtomicLong(nanoTime.getAsLong());
    }

    /** Reserves a request for {@code appId}; returns the nanoseconds to wait before sending it. */
    long reserve(String appId) {
        if (permitsPerSecond == 0) return 0;
        long now = nanoTime.getAsLong();
        sweepIfDue(now);
        long[] wait = new long[1];
        // Reserving inside compute() keeps a sweep from dropping the bucket between lookup and reservation.
        buckets.compute(appId, (id, bucket) -> {
            TokenBucket current = bucket != null ? bucket : new TokenBucket(permitsPerSecond, now);
            wait[0] = current.reserve(now);
            return current;
        });
        return wait[0];
    }

    /** App ids with a bucket now. */
    int trackedApps() {
        return buckets.size();
    }

    private void sweepIfDue(long now) {
        long last = lastSweep.get();
        if (now - last < SWEEP_INTERVAL_NANOS || !lastSweep.compareAndSet(last, now)) return;
        for (String appId : buckets.keySet())
            buckets.computeIfPresent(appId, (id, bucket) -> bucket.isFullAt(now) ? null : bucket);
    }
}
