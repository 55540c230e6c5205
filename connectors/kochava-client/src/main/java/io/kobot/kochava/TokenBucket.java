package io.kobot.kochava;

/**
 * A token bucket that hands out reservations: a caller takes a token now and is told how long to wait until it
 * is covered. Holds one second's worth of tokens (at least one), so an idle app may burst that much.
 */
final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double permitsPerSecond;
    private final double capacity;
    private double tokens;
    private long lastRefillNanos;

    TokenBucket(double permitsPerSecond, long nowNanos) {
        if (!(permitsPerSecond > 0)) throw new IllegalArgumentException("permitsPerSecond must be positive");
        this.permitsPerSecond = permitsPerSecond;
        this.capacity = Math.max(1, permitsPerSecond);
        this.tokens = capacity;
        this.lastRefillNanos = nowNanos;
    }

    /** Whether the bucket has refilled to capacity by {@code nowNanos}: then it is as good as a new one. */
    synchronized boolean isFullAt(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - lastRefillNanos);
        return tokens + elapsed * permitsPerSecond / NANOS_PER_SECOND >= capacity;
    }

    /** Takes one token; returns how many nanoseconds the caller must wait before using it (0 = now). */
    synchronized long reserve(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - lastRefillNanos);
        tokens = Math.min(capacity, tokens + elapsed * permitsPerSecond / NANOS_PER_SECOND);
        lastRefillNanos = nowNanos;
        // Tokens may go negative: that is the queue of reservations already handed out.
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / permitsPerSecond * NANOS_PER_SECOND);
    }
}
