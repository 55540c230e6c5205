package io.kobot.streams.dedup;

import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The dedup store of the versions before {@link FirstCopies}: each first copy filed under its own timestamp, found by
 * a range read. Kept, read only, so that an upgraded instance still knows the ids seen before the upgrade: it is read
 * when the new store has no first copy, and never written. Since nothing is added to it, the latest first copy it can
 * hold is known when the task starts (from its newest segment); a retention after that nothing in it is near enough
 * to count, and it is no longer read at all. The store is part of the topology only while its changelog exists (an
 * upgrade in progress, found at start-up): a new deployment never has it, and operators delete the changelog once
 * the upgrade is a retention old (see docs/operations.md).
 */
final class PreviousFirstCopies {
    static final String STORE_NAME = "dedup-seen-interactions";
    private static final long MIN_SEGMENT_MS = 60_000L;

    private final long retentionMs;
    private final WindowStore<String, byte[]> store;
    /** No first copy in the store is later than this. */
    private final long latest;

    PreviousFirstCopies(Duration retention, ProcessingContext context) {
        this.retentionMs = retention.toMillis();
        this.store = context.getStateStore(STORE_NAME);
        this.latest = latestPossibleTimestamp();
    }

    /**
     * The first entry of a backward scan lies in the newest segment, and no entry is later than that segment's end:
     * segments are {@code max(retention / 2, 1 minute)} long (Kafka Streams' default for this store), so a whole
     * retention, at least a minute, past that entry is beyond it.
     */
    private long latestPossibleTimestamp() {
        try (KeyValueIterator<Windowed<String>, byte[]> newestFirst = store.backwardAll()) {
            if (!newestFirst.hasNext()) {
                return Long.MIN_VALUE;
            }
            return newestFirst.next().key.window().start() + Math.max(retentionMs, MIN_SEGMENT_MS);
        }
    }

    /** As the previous versions created it, so that it opens their state and restores from their changelog. */
    static StoreBuilder<WindowStore<String, byte[]>> storeBuilder(Duration retention) {
        return FirstCopies.idStore(STORE_NAME, retention, retention);
    }

    /** The first copy of {@code id} less than a retention away from {@code record}, if any. */
    Optional<FirstCopy> near(String id, FirstCopy record) {
        long timestamp = record.timestamp();
        long from = Math.max(0, timestamp - (retentionMs - 1));
        if (from > latest) {
            return Optional.empty();
        }
        long to = timestamp > Long.MAX_VALUE - retentionMs ? Long.MAX_VALUE : timestamp + (retentionMs - 1);
        try (WindowStoreIterator<byte[]> copies = store.fetch(id, from, to)) {
            if (!copies.hasNext()) {
                return Optional.empty();
            }
            KeyValue<Long, byte[]> first = copies.next();
            return Optional.of(FirstCopy.decodePrevious(first.value, first.key));
        }
    }
}
