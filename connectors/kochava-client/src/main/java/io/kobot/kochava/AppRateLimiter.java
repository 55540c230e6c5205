package io.kobot.kochava;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** One {@link TokenBucket} per Kochava app id, so a noisy bot cannot use up the capacity of the others. */
final class AppRateLimiter {

    private final double permitsPerSecond;
    private final LongSupplier nanoTime;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    /** @param permitsPerSecond requests per second per app; 0 means no limit */
    AppRateLimiter(double permitsPerSecond, LongSupplier nanoTime) {
        this.permitsPerSecond = permitsPerSecond;
        this.nanoTime = nanoTime;
    }

    /** Reserves a request for {@code appId}; returns the nanoseconds to wait before sending it. */
    long reserve(String appId) {
        if (permitsPerSecond == 0) return 0;
        long now = nanoTime.getAsLong();
        return buckets.computeIfAbsent(appId, id -> new TokenBucket(permitsPerSecond, now))
                .reserve(now);
    }
}
