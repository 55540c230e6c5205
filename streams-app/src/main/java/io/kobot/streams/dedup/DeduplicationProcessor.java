package io.kobot.streams.dedup;

import io.kobot.schema.BotInteraction;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.streams.replay.ReplayMarker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Forwards the first copy of each interaction and drops the copies seen within {@code dedup.retention}.
 *
 * <p>Why a window store rather than a key-value store with a TTL sweep: the window store is segmented by time,
 * and whole segments older than the retention are dropped as stream time advances, so its size stays bounded
 * by the retention without scanning; its changelog is created with {@code cleanup.policy=compact,delete} and a
 * time-based retention, so the changelog is bounded too. A key-value store would need a punctuated full scan
 * (or a second index) to expire entries and a tombstone per expired id in its changelog. How the store is laid
 * out for point reads: {@link FirstCopies}.
 *
 * <p>Each id is stored once, with the timestamp of its first copy, and never rewritten: a steady stream of
 * duplicates cannot keep it alive past its retention. Time is the records' stream time (their Kafka timestamps),
 * so the result does not depend on when the topic is processed, and the same on a replay after a crash.
 *
 * <p>The key is {@code kochava_app_id} plus {@code interaction_id}: ids are chosen by each bot server, and two
 * bots may well both count from 1.
 */
public final class DeduplicationProcessor implements FixedKeyProcessor<byte[], BotInteraction, BotInteraction> {
    private final Duration retention;
    private final boolean readsPreviousStore;
    private final PipelineMetrics metrics;
    private FixedKeyProcessorContext<byte[], BotInteraction> context;
    private FirstCopies firstCopies;
    private PreviousFirstCopies previousFirstCopies;

    /**
     * @param readsPreviousStore whether an upgrade from the versions before {@link FirstCopies} is in progress, so
     *     that their store ({@link #previousStoreName()}) is read too
     */
    public DeduplicationProcessor(Duration retention, boolean readsPreviousStore, PipelineMetrics metrics) {
        this.retention = retention;
        this.readsPreviousStore = readsPreviousStore;
        this.metrics = metrics;
    }

    /**
     * The persistent, changelogged stores this processor needs, with the given retention. The previous versions'
     * store only while an upgrade from them is in progress: an empty window store has no segment to keep its
     * committed offset in, and under exactly-once Kafka Streams takes a store without one, beside stores with data,
     * for corrupted and restores the whole task from its changelogs at every start.
     */
    public static List<StoreBuilder<WindowStore<String, byte[]>>> storeBuilders(
            Duration retention, boolean readsPreviousStore) {
        return readsPreviousStore
                ? List.of(FirstCopies.storeBuilder(retention), PreviousFirstCopies.storeBuilder(retention))
                : List.of(FirstCopies.storeBuilder(retention));
    }

    /** The names of {@link #storeBuilders}, to connect them to this processor. */
    public static String[] storeNames(boolean readsPreviousStore) {
        return readsPreviousStore
                ? new String[] {FirstCopies.STORE_NAME, PreviousFirstCopies.STORE_NAME}
                : new String[] {FirstCopies.STORE_NAME};
    }

    /** The store of the versions before {@link FirstCopies}, whose changelog tells that an upgrade is in progress. */
    public static String previousStoreName() {
        return PreviousFirstCopies.STORE_NAME;
    }

    /** The store that remembers ids, whose changelog must keep them at least {@code dedup.retention}. */
    public static String storeName() {
        return FirstCopies.STORE_NAME;
    }

    /** How long that store keeps them: Kafka Streams creates its changelog with this plus its additional retention. */
    public static Duration storeRetention(Duration retention) {
        return FirstCopies.storeRetention(retention);
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], BotInteraction> context) {
        this.context = context;
        this.firstCopies = new FirstCopies(retention, context);
        this.previousFirstCopies = readsPreviousStore ? new PreviousFirstCopies(retention, context) : null;
    }

    @Override
    public void process(FixedKeyRecord<byte[], BotInteraction> record) {
        // A replayed record is told apart from its original, and from its own copies, by its marker.
        String id = dedupKey(record.value()) + ReplayMarker.dedupSuffix(record.headers());
        FirstCopy current = FirstCopy.of(context.recordMetadata(), record.timestamp());
        Optional<FirstCopy> first = firstCopyNear(id, current);
        if (first.isEmpty()) {
            firstCopies.remember(id, current);
            metrics.increment(PipelineMetrics.UNIQUE);
            context.forward(record);
        } else if (first.get().isSameRecordAs(current)) {
            context.forward(record); // read again after a crash: see FirstCopy
        } else {
            metrics.increment(PipelineMetrics.DUPLICATES_DROPPED);
        }
    }

    private Optional<FirstCopy> firstCopyNear(String id, FirstCopy current) {
        Optional<FirstCopy> first = firstCopies.near(id, current);
        return first.isPresent() || previousFirstCopies == null ? first : previousFirstCopies.near(id, current);
    }

    static String dedupKey(BotInteraction interaction) {
        String app = interaction.getKochavaAppId();
        // Length-prefixed so that no pair of (app, id) strings can collide.
        return app.length() + ":" + app + interaction.getInteractionId();
    }
}
