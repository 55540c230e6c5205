package io.kobot.messenger.http;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs a recurring problem at most once per interval per kind, with how many times it happened since its last line,
 * so that a stream of bad webhooks shows in the log without flooding it. Kinds are bounded: a sender varying them
 * cannot grow memory.
 */
final class ThrottledLog {
    static final int MAX_KINDS = 100;

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Pending> kinds = new HashMap<>();

    private static final class Pending {
        long count;
        long loggedAt;
    }

    ThrottledLog(Logger log, Duration interval, LongSupplier nanoTime) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Counts {@code occurrences} of {@code kind}; logs {@code message} with the count since the last line when the
     * kind was never logged or was last logged an interval ago.
     */
    synchronized void warn(String kind, long occurrences, String message) {
        Pending pending = kinds.get(kind);
        long now = nanoTime.getAsLong();
        if (pending == null) {
            if (kinds.size() >= MAX_KINDS) {
                return;
            }
            pending = new Pending();
            pending.loggedAt = now - intervalNanos;
            kinds.put(kind, pending);
        }
        pending.count += occurrences;
        if (now - pending.loggedAt >= intervalNanos) {
            log.warn("{} ({} since the last such line; the metrics count them all)", message, pending.count);
            pending.count = 0;
            pending.loggedAt = now;
        }
    }
}
