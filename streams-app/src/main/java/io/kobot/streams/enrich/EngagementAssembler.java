package io.kobot.streams.enrich;

import io.kobot.schema.BotInteraction;
import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;
import io.kobot.streams.metrics.PipelineMetrics;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the {@link Engagement} from an interaction and its IdentityLink. Identifiers merge in a fixed order of
 * trust: the link's first, then the bot's own on top (the link never overwrites what the bot sent), then
 * {@code fb_user_id}, which is always present when known. {@code ingested_at} is the record's timestamp, which
 * Kafka Streams carries unchanged through the repartition and the join.
 */
public final class EngagementAssembler implements FixedKeyProcessor<byte[], Enrichment, Engagement> {
    public static final String FB_USER_ID = "fb_user_id";

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
        Map<String, String> deviceIds = new HashMap<>();
        boolean linked = link != null && !link.getDeviceIds().isEmpty();
        if (linked) {
            deviceIds.putAll(link.getDeviceIds());
        }
        deviceIds.putAll(interaction.getDeviceIds());
        if (interaction.getFbUserId() != null) {
            deviceIds.put(FB_USER_ID, interaction.getFbUserId());
        }
        countOutcome(interaction, linked);
        return Engagement.newBuilder()
                .setInteractionId(interaction.getInteractionId())
                .setKochavaAppId(interaction.getKochavaAppId())
                .setType(interaction.getType())
                .setFbUserId(interaction.getFbUserId())
                .setOccurredAt(interaction.getOccurredAt())
                .setEventName(interaction.getEventName())
                .setEventData(interaction.getEventData())
                .setTrackingUrl(interaction.getTrackingUrl())
                .setDeviceIds(deviceIds)
                .setIdentityLinked(linked)
                .setOriginationIp(interaction.getOriginationIp())
                .setUserAgent(interaction.getUserAgent())
                .setIngestedAt(Instant.ofEpochMilli(ingestedAt))
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
