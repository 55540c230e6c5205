package io.kobot.streams.topology;

import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;
import io.kobot.streams.dedup.DeduplicationProcessor;
import io.kobot.streams.enrich.EngagementAssembler;
import io.kobot.streams.enrich.Enrichment;
import io.kobot.streams.enrich.IdentityLinkIngestProcessor;
import io.kobot.streams.enrich.JsonIdentityLinkReader;
import io.kobot.streams.ingest.IngestOutcome;
import io.kobot.streams.ingest.InteractionIngestProcessor;
import io.kobot.streams.ingest.InteractionValidator;
import io.kobot.streams.ingest.JoinKey;
import io.kobot.streams.ingest.JsonInteractionReader;
import io.kobot.streams.ingest.ValueDecoder;
import io.kobot.streams.metrics.PipelineMetrics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.Map;

/**
 * The whole pipeline, in one place, in the order records flow:
 *
 * <pre>
 *  bot.interactions ── ingest+validate ──┬─ rejected ─────────────────────────────────────▶ bot.interactions.dlq
 *                                         └─ accepted ─ partition by join key ─ dedup ─┐
 *  bot.identity-links ─ ingest ─ latest wins ─▶ KTable ───────────── left join (by fb_user_id)
 *                                                                                      └─ assemble ─▶ bot.engagements
 *                                                                                                   └▶ delivery sink
 * </pre>
 *
 * Source topics are read as bytes and decoded by processors, so a bad record becomes a routed dead letter with
 * its exact bytes rather than an exception. Stage logic lives in the stage packages; this class only wires.
 */
public final class PipelineTopology {
    private final TopologySettings settings;
    private final PipelineSerdes serdes;
    private final PipelineMetrics metrics;
    private final EngagementSink sink;

    public PipelineTopology(TopologySettings settings, Map<String, ?> registryConfig, PipelineMetrics metrics,
                            EngagementSink sink) {
        this.settings = settings;
        this.serdes = new PipelineSerdes(registryConfig);
        this.metrics = metrics;
        this.sink = sink;
    }

    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        TopicNames topics = settings.topics();

        KStream<byte[], BotInteraction> accepted = ingestInteractions(builder, topics);
        KStream<byte[], BotInteraction> unique = deduplicate(builder, partitionByJoinKey(accepted));
        KStream<byte[], Engagement> engagements = enrich(unique, identityLinkTable(builder, topics));

        if (settings.writeEngagements()) {
            engagements.to(topics.engagements(), Produced.<byte[], Engagement>as("engagements-out")
                    .withKeySerde(Serdes.ByteArray()).withValueSerde(serdes.engagement()));
        }
        sink.attach(builder, engagements);
        return builder.build();
    }

    private KStream<byte[], BotInteraction> ingestInteractions(StreamsBuilder builder, TopicNames topics) {
        ValueDecoder<BotInteraction> decoder = new ValueDecoder<>(serdes.interaction().deserializer(),
                new JsonInteractionReader());
        InteractionValidator validator = new InteractionValidator(settings.maxFutureSkew(),
                settings.maxEventDataBytes(), settings.pingAllowedHosts());
        boolean rejectMisKeyed = settings.rekeyMode() == RekeyMode.NEVER;

        KStream<byte[], IngestOutcome<BotInteraction>> outcomes = builder
                .stream(topics.interactions(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("interactions-in"))
                .processValues(() -> new InteractionIngestProcessor(decoder, validator, rejectMisKeyed, metrics),
                        Named.as("ingest-interactions"));
        return acceptedOrDeadLettered(outcomes, "interactions");
    }

    /** Routes rejections to the dead-letter topic and returns the accepted values. */
    private <T> KStream<byte[], T> acceptedOrDeadLettered(KStream<byte[], IngestOutcome<T>> outcomes, String name) {
        Map<String, KStream<byte[], IngestOutcome<T>>> branches = outcomes
                .split(Named.as(name + "-"))
                .branch((key, outcome) -> outcome.isAccepted(), Branched.as("accepted"))
                .defaultBranch(Branched.as("rejected"));
        branches.get(name + "-rejected")
                .mapValues(IngestOutcome::deadLetter, Named.as(name + "-dead-letters"))
                .to(settings.topics().deadLetters(), Produced.<byte[], DeadLetter>as(name + "-dlq-out")
                        .withKeySerde(Serdes.ByteArray()).withValueSerde(serdes.deadLetter()));
        return branches.get(name + "-accepted").mapValues(IngestOutcome::value, Named.as(name + "-values"));
    }

    /**
     * Dedup and the join need every copy of an interaction, and the user's IdentityLink, in one partition.
     * Records already keyed by their join key flow on; others are re-keyed once (see {@link RekeyMode}).
     */
    private KStream<byte[], BotInteraction> partitionByJoinKey(KStream<byte[], BotInteraction> accepted) {
        switch (settings.rekeyMode()) {
            case NEVER:
                return accepted; // mis-keyed records were dead-lettered at ingest
            case ALWAYS:
                return rekey(accepted);
            case AUTO:
            default:
                Map<String, KStream<byte[], BotInteraction>> byKey = accepted
                        .split(Named.as("keyed-"))
                        .branch((key, interaction) -> JoinKey.matches(key, interaction), Branched.as("by-join-key"))
                        .defaultBranch(Branched.as("otherwise"));
                return byKey.get("keyed-by-join-key").merge(rekey(byKey.get("keyed-otherwise")),
                        Named.as("partitioned-by-join-key"));
        }
    }

    private KStream<byte[], BotInteraction> deduplicate(StreamsBuilder builder,
                                                       KStream<byte[], BotInteraction> partitioned) {
        builder.addStateStore(DeduplicationProcessor.storeBuilder(settings.dedupRetention()));
        return partitioned.processValues(() -> new DeduplicationProcessor(settings.dedupRetention(), metrics),
                Named.as("dedup"), DeduplicationProcessor.STORE_NAME);
    }

    private KStream<byte[], BotInteraction> rekey(KStream<byte[], BotInteraction> interactions) {
        return interactions
                .selectKey((key, interaction) -> JoinKey.of(interaction), Named.as("rekey-by-join-key"))
                .repartition(Repartitioned.<byte[], BotInteraction>as("interactions-by-join-key")
                        .withKeySerde(Serdes.ByteArray()).withValueSerde(serdes.interaction()));
    }

    /** The IdentityLink table, keyed by fb_user_id: tombstones delete, the latest updated_at wins. */
    private KTable<byte[], IdentityLink> identityLinkTable(StreamsBuilder builder, TopicNames topics) {
        builder.addStateStore(IdentityLinkIngestProcessor.versionsStoreBuilder());
        ValueDecoder<IdentityLink> decoder = new ValueDecoder<>(serdes.identityLink().deserializer(),
                new JsonIdentityLinkReader());
        KStream<byte[], IngestOutcome<IdentityLink>> outcomes = builder
                .stream(topics.identityLinks(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("identity-links-in"))
                .processValues(() -> new IdentityLinkIngestProcessor(decoder, metrics),
                        Named.as("ingest-identity-links"), IdentityLinkIngestProcessor.VERSIONS_STORE_NAME);
        return acceptedOrDeadLettered(outcomes, "identity-links")
                .toTable(Named.as("identity-links-table"),
                        Materialized.<byte[], IdentityLink, KeyValueStore<Bytes, byte[]>>as("identity-links")
                                .withKeySerde(Serdes.ByteArray()).withValueSerde(serdes.identityLink()));
    }

    /** Records with a user are joined with the user's link; the others (impressions, clicks) skip the join. */
    private KStream<byte[], Engagement> enrich(KStream<byte[], BotInteraction> unique,
                                              KTable<byte[], IdentityLink> links) {
        Map<String, KStream<byte[], BotInteraction>> byUser = unique
                .split(Named.as("user-"))
                .branch((key, interaction) -> interaction.getFbUserId() != null, Branched.as("known"))
                .defaultBranch(Branched.as("unknown"));
        KStream<byte[], Enrichment> joined = byUser.get("user-known")
                .leftJoin(links, Enrichment::new, Joined.<byte[], BotInteraction, IdentityLink>as("enrich-join")
                        .withKeySerde(Serdes.ByteArray()).withValueSerde(serdes.interaction()));
        KStream<byte[], Enrichment> withoutUser = byUser.get("user-unknown")
                .mapValues(interaction -> new Enrichment(interaction, null), Named.as("no-user"));
        return joined.merge(withoutUser, Named.as("enriched"))
                .processValues(() -> new EngagementAssembler(metrics), Named.as("assemble-engagements"));
    }
}
