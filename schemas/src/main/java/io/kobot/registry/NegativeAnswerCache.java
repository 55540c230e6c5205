package io.kobot.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Remembers, for a while, the schema ids the registry answered with a final "no" (unknown, not Avro, unparseable,
 * refused), so that a stream of records carrying one bad id costs one registry request per {@code ttlMs}, not one
 * per record. Bounded (the least recently used entry goes first) and never holds a transient failure: those are
 * retried on the next record. A TTL rather than forever because an unknown id may become known (a registry
 * replica that had not caught up).
 */
final class NegativeAnswerCache {

    private final long ttlMs;
    private final int maxEntries;
    private final LongSupplier clockMs;
    private final Map<Integer, Entry> entries;

    /** A new exception per record: one instance thrown on many threads could collect their suppressed exceptions. */
    private record Entry(Supplier<RuntimeException> answer, long expiresAtMs) {}

    NegativeAnswerCache(long ttlMs, int maxEntries, LongSupplier clockMs) {
        this.ttlMs = ttlMs;
        this.maxEntries = maxEntries;
        this.clockMs = clockMs;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Entry> eldest) {
                return size() > NegativeAnswerCache.this.maxEntries;
            }
        };
    }

    /** Records {@code answer} for {@code id} and returns one, for {@code throw cache.remember(...)}. */
    synchronized RuntimeException remember(int id, Supplier<RuntimeException> answer) {
        if (ttlMs > 0) {
            entries.put(id, new Entry(answer, clockMs.getAsLong() + ttlMs));
        }
        return answer.get();
    }

    /** Throws the remembered answer for {@code id}, if it has not expired. */
    synchronized void throwIfKnownBad(int id) {
        Entry entry = entries.get(id);
        if (entry == null) {
            return;
        }
        if (clockMs.getAsLong() >= entry.expiresAtMs()) {
            entries.remove(id);
            return;
        }
        throw entry.answer().get();
    }
}
