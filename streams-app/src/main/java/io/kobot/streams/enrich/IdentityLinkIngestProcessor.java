package io.kobot.streams.enrich;

import io.kobot.schema.IdentityLink;
import io.kobot.streams.deadletter.DeadLetters;
import io.kobot.streams.ingest.IngestOutcome;
import io.kobot.streams.ingest.InputLimits;
import io.kobot.streams.ingest.InputSizeCheck;
import io.kobot.streams.ingest.InvalidRecordException;
import io.kobot.streams.ingest.RejectionReason;
import io.kobot.streams.ingest.ValueDecoder;
import io.kobot.streams.metrics.PipelineMetrics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * Turns {@code bot.identity-links} into the updates of the IdentityLink table: decodes Avro or JSON, checks
 * that the key is the link's {@code fb_user_id}, and lets the latest {@code updated_at} win.
 *
 * <p>A compacted topic keeps the last record written, which is not always the latest link: two apps, or a
 * retried producer, can write out of order. The store here remembers the {@code updated_at} applied per user
 * (a long, not the whole link) so an older update is ignored (and counted) rather than overwriting a newer
 * one. A tombstone deletes the link whatever its time: it has none.
 */
public final class IdentityLinkIngestProcessor
        implements FixedKeyProcessor<byte[], byte[], IngestOutcome<IdentityLink>> {
    public static final String VERSIONS_STORE_NAME = "identity-link-versions";

    private final ValueDecoder<IdentityLink> decoder;
    private final PipelineMetrics metrics;
    private FixedKeyProcessorContext<byte[], IngestOutcome<IdentityLink>> context;
    private KeyValueStore<String, Long> appliedVersions;

    private final InputSizeCheck sizes;

    public IdentityLinkIngestProcessor(ValueDecoder<IdentityLink> decoder, PipelineMetrics metrics) {
        this(decoder, metrics, new InputSizeCheck(InputLimits.DEFAULTS));
    }

    /** @param sizes bounds a link's identifiers, which every engagement of its user carries */
    public IdentityLinkIngestProcessor(ValueDecoder<IdentityLink> decoder, PipelineMetrics metrics,
                                       InputSizeCheck sizes) {
        this.decoder = decoder;
        this.metrics = metrics;
        this.sizes = sizes;
    }

    public static StoreBuilder<KeyValueStore<String, Long>> versionsStoreBuilder() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VERSIONS_STORE_NAME),
                Serdes.String(), Serdes.Long());
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], IngestOutcome<IdentityLink>> context) {
        this.context = context;
        this.appliedVersions = context.getStateStore(VERSIONS_STORE_NAME);
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        try {
            String user = keyOf(record);
            if (record.value() == null) {
                appliedVersions.delete(user);
                metrics.increment(PipelineMetrics.LINK_DELETES);
                context.forward(record.withValue(IngestOutcome.accepted(null)));
                return;
            }
            IdentityLink link = decoder.decode(topic(), record.value());
            if (!link.getFbUserId().equals(user)) {
                throw new InvalidRecordException(RejectionReason.INVALID_IDENTITY_LINK,
                        "the record key is not the link's fb_user_id");
            }
            sizes.checkLink(link);
            long updatedAt = link.getUpdatedAt().toEpochMilli();
            Long applied = appliedVersions.get(user);
            if (applied != null && updatedAt < applied) {
                metrics.increment(PipelineMetrics.LINK_STALE_IGNORED);
                return;
            }
            appliedVersions.put(user, updatedAt);
            metrics.increment(PipelineMetrics.LINK_UPDATES);
            context.forward(record.withValue(IngestOutcome.accepted(link)));
        } catch (InvalidRecordException e) {
            metrics.deadLettered(e.reason().name());
            Optional<RecordMetadata> source = context.recordMetadata();
            context.forward(record.withValue(IngestOutcome.rejected(DeadLetters.of(e.reason(), e.getMessage(),
                    new DeadLetters.Source(topic(), source.map(RecordMetadata::partition).orElse(null),
                            source.map(RecordMetadata::offset).orElse(null), record.key(), record.value()),
                    Instant.ofEpochMilli(context.currentSystemTimeMs())))));
        }
    }

    private static String keyOf(FixedKeyRecord<byte[], byte[]> record) throws InvalidRecordException {
        byte[] key = record.key();
        if (key == null || key.length == 0) {
            throw new InvalidRecordException(RejectionReason.INVALID_IDENTITY_LINK,
                    "an identity link needs its fb_user_id as the record key");
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
