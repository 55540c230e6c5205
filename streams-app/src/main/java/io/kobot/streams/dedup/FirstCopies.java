package io.kobot.streams.dedup;

import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The first copy of each id, found by point reads. Time is cut into buckets one retention long; a first copy is
 * filed under the start of its bucket, its exact timestamp in its value ({@link FirstCopy}). Two first copies of one
 * id lie at least a retention apart, so a bucket holds at most one per id, and the first copies less than a
 * retention away from a record sit in its own bucket or the one before or after it: three point reads (RocksDB gets,
 * which bloom filters spare most SST files; the bucket after usually has no segment yet and costs nothing) rather
 * than a range read, which opens and seeks an iterator in every segment it spans (bloom filters do not apply to
 * seeks).
 *
 * <p>The window store keeps two retentions, so that the bucket before the current one lives as long as a record in
 * it can still have copies; segments (one retention long) older than that are dropped as stream time advances, so
 * the store and its changelog ({@code compact,delete}, a time-based retention) stay bounded without a sweep.
 */
final class FirstCopies {
    static final String STORE_NAME = "dedup-first-copies";

    private final long retentionMs;
    private final WindowStore<String, byte[]> store;

    FirstCopies(Duration retention, ProcessingContext context) {
        this.retentionMs = retention.toMillis();
        this.store = context.getStateStore(STORE_NAME);
    }

    static Duration storeRetention(Duration retention) {
        return retention.multipliedBy(2);
    }

    static StoreBuilder<WindowStore<String, byte[]>> storeBuilder(Duration retention) {
        return idStore(STORE_NAME, storeRetention(retention), retention);
    }

    /** A persistent, changelogged, uncached window store of ids; this one's and the previous versions' store. */
    static StoreBuilder<WindowStore<String, byte[]>> idStore(String name, Duration storeRetention, Duration window) {
        return Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(name, storeRetention, window, false),
                        Serdes.String(),
                        Serdes.ByteArray())
                // Every id is written once and read at most a few times: a cache would only add memory.
                .withCachingDisabled();
    }

    /** The first copy of {@code id} less than a retention away from {@code record}, if any. */
    Optional<FirstCopy> near(String id, FirstCopy record) {
        long timestamp = record.timestamp();
        long first = bucketStart(Math.max(0, timestamp - (retentionMs - 1)));
        long last = timestamp > Long.MAX_VALUE - retentionMs ? Long.MAX_VALUE : timestamp + (retentionMs - 1);
        for (long bucket = first; bucket <= last && bucket >= 0; bucket += retentionMs) {
            Optional<FirstCopy> stored = FirstCopy.decode(store.fetch(id, bucket));
            if (stored.isPresent() && stored.get().isWithin(retentionMs, record)) {
                return stored;
            }
        }
        return Optional.empty();
    }

    void remember(String id, FirstCopy firstCopy) {
        store.put(id, firstCopy.encode(), bucketStart(firstCopy.timestamp()));
    }

    private long bucketStart(long timestamp) {
        return timestamp - timestamp % retentionMs;
    }
}
