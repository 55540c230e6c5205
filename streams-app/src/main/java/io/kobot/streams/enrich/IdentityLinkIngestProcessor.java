package io.kobot.streams.enrich;

import io.kobot.schema.IdentityLink;
import io.kobot.schema.deadletter.RejectionReason;
import io.kobot.streams.deadletter.DeadLetters;
import io.kobot.streams.ingest.IngestOutcome;
import io.kobot.streams.ingest.InputSizeCheck;
import io.kobot.streams.ingest.InvalidRecordException;
import io.kobot.streams.ingest.JoinKeyPlacement;
import io.kobot.streams.ingest.ValueDecoder;
import io.kobot.streams.metrics.PipelineMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Turns {@code bot.identity-links} into accepted IdentityLink updates: decodes Avro or JSON and checks that the
 * key is the link's {@code fb_user_id}. A null value is an accepted tombstone. Which update wins is decided
 * later, where all of a user's updates meet ({@link LatestLinkProcessor}).
 */
public final class IdentityLinkIngestProcessor
        implements FixedKeyProcessor<byte[], byte[], IngestOutcome<IdentityLink>> {
    private final ValueDecoder<IdentityLink> decoder;
    private final JoinKeyPlacement requiredPlacement;
    private final PipelineMetrics metrics;
    private FixedKeyProcessorContext<byte[], IngestOutcome<IdentityLink>> context;

    private final InputSizeCheck sizes;

    /**
     * @param requiredPlacement when set, dead-letter links (and tombstones) in another partition than Kafka
     *                          Streams places their user: set when no repartition follows; null otherwise
     * @param sizes             bounds a link's identifiers, which every engagement of its user carries
     */
    public IdentityLinkIngestProcessor(
            ValueDecoder<IdentityLink> decoder,
            JoinKeyPlacement requiredPlacement,
            PipelineMetrics metrics,
            InputSizeCheck sizes) {
        this.decoder = decoder;
        this.requiredPlacement = requiredPlacement;
        this.metrics = metrics;
        this.sizes = sizes;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], IngestOutcome<IdentityLink>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        try {
            String user = keyOf(record);
            IdentityLink link = null;
            if (record.value() != null) {
                link = decoder.decode(topic(), record.value());
                if (!link.getFbUserId().equals(user)) {
                    throw new InvalidRecordException(
                            RejectionReason.INVALID_IDENTITY_LINK, "the record key is not the link's fb_user_id");
                }
            }
            if (requiredPlacement != null) {
                requiredPlacement.requireInPlace(context.recordMetadata(), record.key(), record.key());
            }
            if (link != null) {
                sizes.checkLink(link);
            }
            context.forward(record.withValue(IngestOutcome.accepted(link)));
        } catch (InvalidRecordException e) {
            metrics.deadLettered(e.reason().name());
            Optional<RecordMetadata> source = context.recordMetadata();
            context.forward(record.withValue(IngestOutcome.rejected(DeadLetters.of(
                    e.reason(),
                    e.getMessage(),
                    new DeadLetters.Source(
                            topic(),
                            source.map(RecordMetadata::partition).orElse(null),
                            source.map(RecordMetadata::offset).orElse(null),
                            record.key(),
                            record.value()),
                    Instant.ofEpochMilli(context.currentSystemTimeMs())))));
        }
    }

    private static String keyOf(FixedKeyRecord<byte[], byte[]> record) throws InvalidRecordException {
        byte[] key = record.key();
        if (key == null || key.length == 0) {
            throw new InvalidRecordException(
                    RejectionReason.INVALID_IDENTITY_LINK, "an identity link needs its fb_user_id as the record key");
        }
        String user = new String(key, StandardCharsets.UTF_8);
        if (!Arrays.equals(user.getBytes(StandardCharsets.UTF_8), key)) {
            throw new InvalidRecordException(RejectionReason.INVALID_IDENTITY_LINK, "the record key is not UTF-8");
        }
        return user;
    }

    private String topic() {
        return context.recordMetadata().map(RecordMetadata::topic).orElse(null);
    }
}
