package io.kobot.streams.enrich;

import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;
import io.kobot.schema.deadletter.RejectionReason;
import io.kobot.streams.deadletter.DeadLetters;
import io.kobot.streams.ingest.IngestOutcome;
import io.kobot.streams.metrics.PipelineMetrics;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Joins each unique interaction with its user's IdentityLink and builds its {@link Engagement} ({@link
 * Engagements#of}), counting how it was enriched: a left join done as a lookup in the IdentityLink table's store,
 * in the processor that needs the result rather than in separate join, branch and merge nodes on the path of every
 * record. The interaction is keyed by its {@code fb_user_id} here, as the table is, and sits in the same task (see
 * {@link io.kobot.streams.ingest.JoinKey}); one without a user is not looked up (its key is its interaction id,
 * which must never match a user's link). {@code ingested_at} is the record's timestamp, which Kafka Streams carries
 * unchanged through the repartition.
 *
 * <p>An engagement larger than {@code maxEngagementBytes} is dead-lettered here ({@link
 * RejectionReason#ENGAGEMENT_TOO_LARGE}), before it is written anywhere (the engagements topic, the outbox and its
 * changelog): a record larger than the producer's {@code max.request.size} would fail the task, and under
 * exactly-once the partition would never move past it. Only a link can push an engagement past the limit: the
 * configuration guarantees that every valid interaction fits on its own.
 */
public final class EngagementAssembler implements FixedKeyProcessor<byte[], BotInteraction, IngestOutcome<Engagement>> {
    private final PipelineMetrics metrics;
    private final int maxEngagementBytes;
    private final String linksStoreName;
    private FixedKeyProcessorContext<byte[], IngestOutcome<Engagement>> context;
    private TimestampedKeyValueStore<byte[], IdentityLink> links;

    /** @param linksStoreName the IdentityLink table's store, keyed by fb_user_id */
    public EngagementAssembler(PipelineMetrics metrics, int maxEngagementBytes, String linksStoreName) {
        this.metrics = metrics;
        this.maxEngagementBytes = maxEngagementBytes;
        this.linksStoreName = linksStoreName;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], IngestOutcome<Engagement>> context) {
        this.context = context;
        this.links = context.getStateStore(linksStoreName);
    }

    @Override
    public void process(FixedKeyRecord<byte[], BotInteraction> record) {
        BotInteraction interaction = record.value();
        IdentityLink link = interaction.getFbUserId() == null ? null : linkOf(record.key());
        Engagement engagement = assemble(interaction, link, record.timestamp());
        long size = EngagementSize.upperBound(engagement);
        if (size > maxEngagementBytes) {
            metrics.deadLettered(RejectionReason.ENGAGEMENT_TOO_LARGE.name());
            context.forward(record.withValue(IngestOutcome.rejected(tooLarge(engagement, size, record.key()))));
            return;
        }
        context.forward(record.withValue(IngestOutcome.accepted(engagement)));
    }

    private IdentityLink linkOf(byte[] user) {
        ValueAndTimestamp<IdentityLink> link = links.get(user);
        return link == null ? null : link.value();
    }

    Engagement assemble(BotInteraction interaction, IdentityLink link, long ingestedAt) {
        countOutcome(interaction, Engagements.isLinked(link));
        return Engagements.of(interaction, link, Instant.ofEpochMilli(ingestedAt));
    }

    /** No original value: the engagement is what cannot be written, and the source record is already committed. */
    private DeadLetter tooLarge(Engagement engagement, long size, byte[] key) {
        Optional<RecordMetadata> source = context.recordMetadata();
        String message = "the engagement would be up to " + size + " bytes with its "
                + engagement.getDeviceIds().size()
                + " device_ids (the user's identity link included), more than validation.max-engagement-bytes="
                + maxEngagementBytes;
        return DeadLetters.builder(
                        RejectionReason.ENGAGEMENT_TOO_LARGE,
                        message,
                        new DeadLetters.Source(
                                source.map(RecordMetadata::topic).orElse(null),
                                source.map(RecordMetadata::partition).orElse(null),
                                source.map(RecordMetadata::offset).orElse(null),
                                key,
                                null),
                        Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .setInteractionId(engagement.getInteractionId())
                .setKochavaAppId(engagement.getKochavaAppId())
                .build();
    }

    private void countOutcome(BotInteraction interaction, boolean linked) {
        if (interaction.getFbUserId() == null) {
            metrics.increment(PipelineMetrics.WITHOUT_USER);
        } else {
            metrics.increment(linked ? PipelineMetrics.ENRICHED_WITH_LINK : PipelineMetrics.ENRICHED_WITHOUT_LINK);
        }
    }
}
