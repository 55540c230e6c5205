package io.kobot.streams.ingest;

import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.streams.deadletter.DeadLetters;
import io.kobot.streams.metrics.PipelineMetrics;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Ingest, validate and place: raw bytes from {@code bot.interactions} become a validated {@link BotInteraction},
 * marked to flow on or to be repartitioned by its {@link JoinKey}, or a {@link DeadLetter} carrying the original
 * bytes, source coordinates and reason. Values are decoded here rather than by a Serde so that a bad record is a
 * routed outcome, not a failure, and its exact bytes are kept. The placement is judged here, where the source
 * partition is known, so that no further node sits on the path of every record.
 */
public final class InteractionIngestProcessor
        implements FixedKeyProcessor<byte[], byte[], IngestOutcome<BotInteraction>> {

    private final ValueDecoder<BotInteraction> decoder;
    private final InteractionValidator validator;
    private final JoinKeyPlacement.Rule placement;
    private final PipelineMetrics metrics;
    private FixedKeyProcessorContext<byte[], IngestOutcome<BotInteraction>> context;

    /**
     * @param placement whether a valid record flows on or is repartitioned by its {@link JoinKey}; it rejects
     *                  records not in place when no repartition follows, so that such a record cannot be
     *                  deduplicated or joined in the wrong partition
     */
    public InteractionIngestProcessor(
            ValueDecoder<BotInteraction> decoder,
            InteractionValidator validator,
            JoinKeyPlacement.Rule placement,
            PipelineMetrics metrics) {
        this.decoder = decoder;
        this.validator = validator;
        this.placement = placement;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], IngestOutcome<BotInteraction>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        metrics.increment(PipelineMetrics.RECEIVED);
        Optional<RecordMetadata> source = context.recordMetadata();
        String topic = source.map(RecordMetadata::topic).orElse(null);
        BotInteraction decoded = null;
        try {
            decoded = decoder.decode(topic, record.value());
            WallClockBoundedTimestamps.requireNotClamped(record.headers(), record.timestamp());
            BotInteraction valid = validator.validate(decoded, record.timestamp());
            boolean inPlace = placement.inPlace(source, record.key(), JoinKey.of(valid));
            metrics.increment(PipelineMetrics.ACCEPTED);
            context.forward(record.withValue(
                    inPlace ? IngestOutcome.accepted(valid) : IngestOutcome.acceptedToRepartition(valid)));
        } catch (InvalidRecordException e) {
            metrics.deadLettered(e.reason().name());
            DeadLetter deadLetter = DeadLetters.withReplayOf(
                            DeadLetters.builder(
                                    e.reason(),
                                    e.getMessage(),
                                    sourceOf(record, source),
                                    Instant.ofEpochMilli(context.currentSystemTimeMs())),
                            record.headers())
                    .setInteractionId(decoded == null ? null : blankToNull(decoded.getInteractionId()))
                    .setKochavaAppId(decoded == null ? null : blankToNull(decoded.getKochavaAppId()))
                    .build();
            context.forward(record.withValue(IngestOutcome.rejected(deadLetter)));
        }
    }

    static DeadLetters.Source sourceOf(FixedKeyRecord<byte[], byte[]> record, Optional<RecordMetadata> source) {
        return new DeadLetters.Source(
                source.map(RecordMetadata::topic).orElse(null),
                source.map(RecordMetadata::partition).orElse(null),
                source.map(RecordMetadata::offset).orElse(null),
                record.key(),
                record.value());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
