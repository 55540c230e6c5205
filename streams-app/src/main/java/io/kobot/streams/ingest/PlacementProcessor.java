package io.kobot.streams.ingest;

import java.util.function.BiFunction;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Tags each accepted record with whether it is {@linkplain JoinKeyPlacement.Verdict#IN_PLACE in place}, for the
 * branch that lets it flow on or sends it through a repartition topic. Runs before any repartition, where the
 * record's source partition is still known.
 *
 * @param <V> the value: an interaction, or an identity link (null for a tombstone)
 */
public final class PlacementProcessor<V> implements FixedKeyProcessor<byte[], V, PlacementProcessor.Placed<V>> {
    /** A value and whether it already sits where Kafka Streams places its join key. Never serialised. */
    public record Placed<V>(V value, boolean inPlace) {}

    private final JoinKeyPlacement placement;
    private final BiFunction<byte[], V, byte[]> joinKeyOf;
    private FixedKeyProcessorContext<byte[], Placed<V>> context;

    /** @param joinKeyOf the join key of a record, from its key and value */
    public PlacementProcessor(JoinKeyPlacement placement, BiFunction<byte[], V, byte[]> joinKeyOf) {
        this.placement = placement;
        this.joinKeyOf = joinKeyOf;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Placed<V>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], V> record) {
        JoinKeyPlacement.Verdict verdict = placement.verdict(
                context.recordMetadata(), record.key(), joinKeyOf.apply(record.key(), record.value()));
        context.forward(record.withValue(new Placed<>(record.value(), verdict == JoinKeyPlacement.Verdict.IN_PLACE)));
    }
}
