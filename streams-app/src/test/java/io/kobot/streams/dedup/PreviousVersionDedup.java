package io.kobot.streams.dedup;

import io.kobot.schema.BotInteraction;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Deduplication as the versions before {@link FirstCopies} did it (a range read and a write per record in the store
 * {@code dedup-seen-interactions}, the first copy filed under its own timestamp, its coordinates in format 1), for
 * the upgrade test: it leaves the state and changelog an instance of such a version leaves.
 */
public final class PreviousVersionDedup implements FixedKeyProcessor<byte[], BotInteraction, BotInteraction> {
    private final long retentionMs;
    private FixedKeyProcessorContext<byte[], BotInteraction> context;
    private WindowStore<String, byte[]> seen;

    private PreviousVersionDedup(Duration retention) {
        this.retentionMs = retention.toMillis();
    }

    /** Reads {@code input} and writes the first copies to {@code output}, as values of {@code interactionSerde}. */
    public static Topology topology(
            String input, String output, Serde<BotInteraction> interactionSerde, Duration retention) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(PreviousFirstCopies.storeBuilder(retention));
        builder.stream(
                        input,
                        Consumed.with(Serdes.ByteArray(), interactionSerde).withName("interactions-in"))
                .processValues(
                        () -> new PreviousVersionDedup(retention), Named.as("dedup"), PreviousFirstCopies.STORE_NAME)
                .to(output, Produced.with(Serdes.ByteArray(), interactionSerde).withName("first-copies-out"));
        return builder.build();
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], BotInteraction> context) {
        this.context = context;
        this.seen = context.getStateStore(PreviousFirstCopies.STORE_NAME);
    }

    @Override
    public void process(FixedKeyRecord<byte[], BotInteraction> record) {
        String id = DeduplicationProcessor.dedupKey(record.value());
        long timestamp = record.timestamp();
        long from = Math.max(0, timestamp - (retentionMs - 1));
        try (WindowStoreIterator<byte[]> copies = seen.fetch(id, from, timestamp + (retentionMs - 1))) {
            if (copies.hasNext()) {
                return;
            }
        }
        var source = context.recordMetadata().orElseThrow();
        byte[] firstCopy = ByteBuffer.allocate(17)
                .put((byte) 1)
                .putInt(source.topic().hashCode())
                .putInt(source.partition())
                .putLong(source.offset())
                .array();
        seen.put(id, firstCopy, timestamp);
        context.forward(record);
    }
}
