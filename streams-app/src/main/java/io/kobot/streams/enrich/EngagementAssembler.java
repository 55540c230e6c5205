package io.kobot.streams.enrich;

import io.kobot.schema.BotInteraction;
import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;
import io.kobot.streams.metrics.PipelineMetrics;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Builds the {@link Engagement} of each joined interaction ({@link Engagements#of}) and counts how it was enriched.
 * {@code ingested_at} is the record's timestamp, which Kafka Streams carries unchanged through the repartition and
 * the join.
 */
public final class EngagementAssembler implements FixedKeyProcessor<byte[], Enrichment, Engagement> {
    private final PipelineMetrics metrics;
    private FixedKeyProcessorContext<byte[], Engagement> context;

    public EngagementAssembler(PipelineMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Engagement> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], Enrichment> record) {
        Enrichment enrichment = record.value();
        context.forward(record.withValue(assemble(enrichment.interaction(), enrichment.link(), record.timestamp())));
    }

    Engagement assemble(BotInteraction interaction, IdentityLink link, long ingestedAt) {
        countOutcome(interaction, Engagements.isLinked(link));
        return Engagements.of(interaction, link, Instant.ofEpochMilli(ingestedAt));
    }

    private void countOutcome(BotInteraction interaction, boolean linked) {
        if (interaction.getFbUserId() == null) {
            metrics.increment(PipelineMetrics.WITHOUT_USER);
        } else {
            metrics.increment(linked ? PipelineMetrics.ENRICHED_WITH_LINK : PipelineMetrics.ENRICHED_WITHOUT_LINK);
        }
    }
}
