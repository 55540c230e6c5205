package io.kobot.streams.dedup;

import io.kobot.schema.BotInteraction;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.streams.replay.ReplayMarker;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Forwards the first copy of each interaction and drops the copies seen within {@code dedup.retention}.
 *
 * <p>Why a window store rather than a key-value store with a TTL sweep: the window store is segmented by time,
 * and whole segments older than the retention are dropped as stream time advances, so its size stays bounded
 * by the retention without scanning; its changelog is created with {@code cleanup.policy=compact,delete} and a
 * time-based retention, so the changelog is bounded too. A key-value store would need a punctuated full scan
 * (or a second index) to expire entries and a tombstone per expired id in its changelog.
 *
 * <p>Each id is stored once, at the timestamp of its first copy, and never rewritten: a steady stream of
 * duplicates cannot keep it alive past its retention. Time is the records' stream time (their Kafka timestamps),
 * so the result does not depend on when the topic is processed, and the same on a replay after a crash.
 *
 * <p>The key is {@code kochava_app_id} plus {@code interaction_id}: ids are chosen by each bot server, and two
 * bots may well both count from 1.
 */
public final class DeduplicationProcessor implements FixedKeyProcessor<byte[], BotInteraction, BotInteraction> {
    public static final String STORE_NAME = "dedup-seen-interactions";

    private final long retentionMs;
    private final PipelineMetrics metrics;
    private FixedKeyProcessorContext<byte[], BotInteraction> context;
    private WindowStore<String, byte[]> seen;

    public DeduplicationProcessor(Duration retention, PipelineMetrics metrics) {
        this.retentionMs = retention.toMillis();
        this.metrics = metrics;
    }

    /** The persistent, changelogged store this processor needs, with the given retention. */
    public static StoreBuilder<WindowStore<String, byte[]>> storeBuilder(Duration retention) {
        return Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(STORE_NAME, retention, retention, false),
                        Serdes.String(),
                        Serdes.ByteArray())
                // Every id is written once and read at most a few times: a cache would only add memory.
                .withCachingDisabled();
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], BotInteraction> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE_NAME);
    }

    @Override
    public void process(FixedKeyRecord<byte[], BotInteraction> record) {
        // A replayed record is told apart from its original, and from its own copies, by its marker.
        String id = dedupKey(record.value()) + ReplayMarker.dedupSuffix(record.headers());
        long timestamp = record.timestamp();
        FirstCopy current = FirstCopy.of(context.recordMetadata());
        switch (firstCopyWithinRetention(id, timestamp, current)) {
            case NONE -> {
                seen.put(id, current.encode(), timestamp);
                metrics.increment(PipelineMetrics.UNIQUE);
                context.forward(record);
            }
            case THIS_RECORD -> context.forward(record); // read again after a crash: see FirstCopy
            case ANOTHER_RECORD -> metrics.increment(PipelineMetrics.DUPLICATES_DROPPED);
        }
    }

    private enum Seen {
        NONE,
        THIS_RECORD,
        ANOTHER_RECORD
    }

    /** A copy counts as a duplicate when a first copy lies less than the retention away, before or after it. */
    private Seen firstCopyWithinRetention(String id, long timestamp, FirstCopy current) {
        long from = Math.max(0, timestamp - (retentionMs - 1));
        long to = timestamp > Long.MAX_VALUE - retentionMs ? Long.MAX_VALUE : timestamp + (retentionMs - 1);
        try (WindowStoreIterator<byte[]> copies = seen.fetch(id, from, to)) {
            if (!copies.hasNext()) {
                return Seen.NONE;
            }
            return FirstCopy.decode(copies.next().value).isSameRecordAs(current)
                    ? Seen.THIS_RECORD
                    : Seen.ANOTHER_RECORD;
        }
    }

    static String dedupKey(BotInteraction interaction) {
        String app = interaction.getKochavaAppId();
        // Length-prefixed so that no pair of (app, id) strings can collide.
        return app.length() + ":" + app + interaction.getInteractionId();
    }
}
