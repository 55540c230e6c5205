package io.kobot.streams.topology;

import io.kobot.partitioning.JoinKeyPartitioner;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;
import io.kobot.streams.deadletter.DeadLetters;
import io.kobot.streams.dedup.DeduplicationProcessor;
import io.kobot.streams.enrich.EngagementAssembler;
import io.kobot.streams.enrich.IdentityLinkIngestProcessor;
import io.kobot.streams.enrich.JsonIdentityLinkReader;
import io.kobot.streams.enrich.LatestLinkProcessor;
import io.kobot.streams.enrich.LinkUpdate;
import io.kobot.streams.ingest.IngestOutcome;
import io.kobot.streams.ingest.InputSizeCheck;
import io.kobot.streams.ingest.InteractionIngestProcessor;
import io.kobot.streams.ingest.InteractionValidator;
import io.kobot.streams.ingest.JoinKey;
import io.kobot.streams.ingest.JoinKeyPlacement;
import io.kobot.streams.ingest.JsonInteractionReader;
import io.kobot.streams.ingest.PlacementProcessor;
import io.kobot.streams.ingest.ValueDecoder;
import io.kobot.streams.ingest.WallClockBoundedTimestamps;
import io.kobot.streams.metrics.PipelineMetrics;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The whole pipeline, in one place, in the order records flow:
 *
 * <pre>
 *  bot.interactions ── ingest+validate+place ─┬─ rejected ───────────────────────────────────▶ bot.interactions.dlq
 *                                             ├─ accepted, in place ──────────────────────┐
 *                                             └─ accepted, keyed otherwise or misplaced   │
 *                                                  ─ rekey ─▶ repartition ────────────────┴─ dedup ─────┐
 *  bot.identity-links ─ ingest ─┬─ rejected ──────────────────────────────────────────────▶ bot.interactions.dlq
 *                               └─ accepted ─┬─ in place ────────────────────────┐                      │
 *                                            └─ misplaced ─▶ repartition ────────┴─ latest wins ─ KTable │
 *                                                        delivery sink ◀─ new or changed ─┘       store │
 *                                                                                                   ▼   ▼
 *                                  bot.interactions.dlq ◀─ too large ─┬─ left join (by fb_user_id) + assemble
 *                                       bot.engagements ◀─ accepted ──┤
 *                                         delivery sink ◀─────────────┘
 * </pre>
 *
 * <p>Task {@code p} deduplicates and joins what sits in partition {@code p}, so every copy of an interaction and
 * every update of a user's link must reach the one partition of their join key: the one the configured
 * {@link JoinKeyPartitioner} gives it (murmur2 as Kafka's Java clients place keys, CRC32 as librdkafka's, FNV-1a as
 * Sarama's), which the repartition topics are written with too. Records already keyed by it <em>and</em> in that partition
 * ("in place") flow on; any other goes once through a repartition topic ({@link RekeyMode},
 * {@link JoinKeyPlacement}). Which link update wins is decided only after that, where all of a user's updates meet.
 *
 * <p>Every interaction passes the nodes on the right-hand path, so they are few: ingest also decides the
 * placement, and the join is a lookup in the table's store by the processor that assembles the engagement. The
 * table and the interactions are co-partitioned as a DSL join would require: the start-up checks refuse source
 * topics with different partition counts, and the repartition topics take the count of their source topics.
 *
 * <p>Source topics are read as bytes and decoded by processors, so a bad record becomes a routed dead letter with
 * its exact bytes rather than an exception. Stage logic lives in the stage packages; this class only wires.
 */
public final class PipelineTopology {
    /** The IdentityLink table's store (and changelog) name. */
    static final String LINKS_STORE = "identity-links";

    private final TopologySettings settings;
    private final PipelineSerdes serdes;
    private final PipelineMetrics metrics;
    private final EngagementSink sink;
    private final JoinKeyPlacement placement;

    /** @param serdes the instance's serdes; they must stay open as long as the topology runs */
    public PipelineTopology(
            TopologySettings settings, PipelineSerdes serdes, PipelineMetrics metrics, EngagementSink sink) {
        this.settings = settings;
        this.serdes = serdes;
        this.metrics = metrics;
        this.sink = sink;
        this.placement = new JoinKeyPlacement(
                settings.sourcePartitions(),
                settings.joinKeyPartitioner(),
                settings.rekeyMode() == RekeyMode.NEVER,
                metrics);
    }

    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        TopicNames topics = settings.topics();

        KStream<byte[], BotInteraction> partitioned = ingestInteractions(builder, topics);
        KStream<byte[], BotInteraction> unique = deduplicate(builder, partitioned);
        KStream<byte[], LinkUpdate> linkUpdates = latestIdentityLinks(builder, topics);
        identityLinkTable(linkUpdates);
        KStream<byte[], Engagement> engagements = enrich(unique);

        if (settings.writeEngagements()) {
            engagements.to(
                    topics.engagements(),
                    Produced.<byte[], Engagement>as("engagements-out")
                            .withKeySerde(Serdes.ByteArray())
                            .withValueSerde(serdes.engagementWritten()));
        }
        sink.attach(builder, engagements, linksToForward(linkUpdates), serdes);
        return builder.build();
    }

    /**
     * Decodes, validates and places interactions: rejections go to the dead-letter topic; dedup and the join need
     * every copy of an interaction, and the user's IdentityLink, in one partition, so records in place flow on and
     * the others are re-keyed once (see {@link RekeyMode}).
     */
    private KStream<byte[], BotInteraction> ingestInteractions(StreamsBuilder builder, TopicNames topics) {
        ValueDecoder<BotInteraction> decoder = new ValueDecoder<>(
                serdes.interaction().deserializer(),
                new JsonInteractionReader(settings.limits().maxEventDataDepth()));
        InteractionValidator validator = new InteractionValidator(
                settings.maxFutureSkew(), settings.maxEventDataBytes(), settings.limits(), settings.pingAllowedHosts());
        KStream<byte[], IngestOutcome<BotInteraction>> outcomes = builder.stream(
                        topics.interactions(),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                                .withTimestampExtractor(new WallClockBoundedTimestamps(
                                        settings.maxClockSkew(), System::currentTimeMillis))
                                .withName("interactions-in"))
                .processValues(
                        () -> new InteractionIngestProcessor(decoder, validator, placementRule(), metrics),
                        Named.as("ingest-interactions"));
        if (settings.rekeyMode() == RekeyMode.NEVER) {
            return acceptedOrDeadLettered(outcomes, "interactions"); // records not in place were rejected
        }
        Map<String, KStream<byte[], IngestOutcome<BotInteraction>>> routes = outcomes.split(Named.as("interactions-"))
                .branch((key, outcome) -> !outcome.isAccepted(), Branched.as("rejected"))
                .branch((key, outcome) -> outcome.toRepartition(), Branched.as("elsewhere"))
                .defaultBranch(Branched.as("in-place"));
        deadLetters(routes.get("interactions-rejected"), "interactions");
        KStream<byte[], BotInteraction> inPlace = routes.get("interactions-in-place")
                .mapValues(IngestOutcome::value, Named.as("interactions-in-place-values"));
        KStream<byte[], BotInteraction> elsewhere = routes.get("interactions-elsewhere")
                .mapValues(IngestOutcome::value, Named.as("interactions-elsewhere-values"));
        return inPlace.merge(rekey(elsewhere), Named.as("interactions-by-join-key"));
    }

    private JoinKeyPlacement.Rule placementRule() {
        switch (settings.rekeyMode()) {
            case NEVER:
                return placement.rejectUnlessInPlace();
            case ALWAYS:
                return JoinKeyPlacement.REPARTITION_ALL;
            case AUTO:
            default:
                return placement.repartitionUnlessInPlace();
        }
    }

    /** Routes rejections to the dead-letter topic and returns the accepted values. */
    private <T> KStream<byte[], T> acceptedOrDeadLettered(KStream<byte[], IngestOutcome<T>> outcomes, String name) {
        Map<String, KStream<byte[], IngestOutcome<T>>> branches = outcomes.split(Named.as(name + "-"))
                .branch((key, outcome) -> outcome.isAccepted(), Branched.as("accepted"))
                .defaultBranch(Branched.as("rejected"));
        deadLetters(branches.get(name + "-rejected"), name);
        return branches.get(name + "-accepted").mapValues(IngestOutcome::value, Named.as(name + "-values"));
    }

    private <T> void deadLetters(KStream<byte[], IngestOutcome<T>> rejected, String name) {
        rejected.map(
                        (key, outcome) -> KeyValue.pair(DeadLetters.recordKey(key), outcome.deadLetter()),
                        Named.as(name + "-dead-letters"))
                .to(
                        settings.topics().deadLetters(),
                        Produced.<byte[], DeadLetter>as(name + "-dlq-out")
                                .withKeySerde(Serdes.ByteArray())
                                .withValueSerde(serdes.deadLetter()));
    }

    /** With {@code partitioning.rekey=NEVER} nothing is repartitioned, so ingest rejects what is not in place. */
    private JoinKeyPlacement requiredPlacement() {
        return settings.rekeyMode() == RekeyMode.NEVER ? placement : null;
    }

    /**
     * Splits records into those already in place, which flow on, and the others, which go through
     * {@code repartition}; then merges both. Runs before any repartition, where the source partition is known.
     */
    private <V> KStream<byte[], V> inPlaceOrRepartitioned(
            KStream<byte[], V> records,
            String name,
            BiFunction<byte[], V, byte[]> joinKeyOf,
            UnaryOperator<KStream<byte[], V>> repartition) {
        Map<String, KStream<byte[], PlacementProcessor.Placed<V>>> byPlacement = records.processValues(
                        () -> new PlacementProcessor<>(placement, joinKeyOf), Named.as(name + "-placement"))
                .split(Named.as(name + "-placement-"))
                .branch((key, placed) -> placed.inPlace(), Branched.as("in-place"))
                .defaultBranch(Branched.as("elsewhere"));
        KStream<byte[], V> inPlace = byPlacement
                .get(name + "-placement-in-place")
                .mapValues(PlacementProcessor.Placed::value, Named.as(name + "-in-place"));
        KStream<byte[], V> elsewhere = byPlacement
                .get(name + "-placement-elsewhere")
                .mapValues(PlacementProcessor.Placed::value, Named.as(name + "-elsewhere"));
        return inPlace.merge(repartition.apply(elsewhere), Named.as(name + "-by-join-key"));
    }

    private KStream<byte[], BotInteraction> deduplicate(
            StreamsBuilder builder, KStream<byte[], BotInteraction> partitioned) {
        boolean readsPreviousStore = settings.previousDedupStore();
        DeduplicationProcessor.storeBuilders(settings.dedupRetention(), readsPreviousStore)
                .forEach(builder::addStateStore);
        return partitioned.processValues(
                () -> new DeduplicationProcessor(settings.dedupRetention(), readsPreviousStore, metrics),
                Named.as("dedup"),
                DeduplicationProcessor.storeNames(readsPreviousStore));
    }

    private KStream<byte[], BotInteraction> rekey(KStream<byte[], BotInteraction> interactions) {
        return interactions
                .selectKey((key, interaction) -> JoinKey.of(interaction), Named.as("rekey-by-join-key"))
                .repartition(Repartitioned.<byte[], BotInteraction>as("interactions-by-join-key")
                        .withKeySerde(Serdes.ByteArray())
                        .withValueSerde(serdes.interaction())
                        .withStreamPartitioner(placement.forRepartition()));
    }

    /**
     * IdentityLink updates keyed by fb_user_id: misplaced links are repartitioned first (links must be keyed by
     * their user, so only their partition can be wrong), then tombstones delete and the latest updated_at wins; new
     * and changed links are marked for Kochava when the sink forwards them.
     */
    private KStream<byte[], LinkUpdate> latestIdentityLinks(StreamsBuilder builder, TopicNames topics) {
        ValueDecoder<IdentityLink> decoder =
                new ValueDecoder<>(serdes.identityLink().deserializer(), new JsonIdentityLinkReader());
        KStream<byte[], IngestOutcome<IdentityLink>> outcomes = builder.stream(
                        topics.identityLinks(),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("identity-links-in"))
                .processValues(
                        () -> new IdentityLinkIngestProcessor(
                                decoder, requiredPlacement(), metrics, new InputSizeCheck(settings.limits())),
                        Named.as("ingest-identity-links"));
        KStream<byte[], IdentityLink> accepted = acceptedOrDeadLettered(outcomes, "identity-links");
        KStream<byte[], IdentityLink> placed = settings.rekeyMode() == RekeyMode.NEVER
                ? accepted
                : inPlaceOrRepartitioned(
                        accepted,
                        "identity-links",
                        (key, link) -> key,
                        misplaced ->
                                misplaced.repartition(Repartitioned.<byte[], IdentityLink>as("identity-links-by-user")
                                        .withKeySerde(Serdes.ByteArray())
                                        .withValueSerde(serdes.identityLink())
                                        .withStreamPartitioner(placement.forRepartition())));
        builder.addStateStore(LatestLinkProcessor.versionsStoreBuilder());
        boolean forwarding = sink.forwardsIdentityLinks();
        return placed.processValues(
                () -> new LatestLinkProcessor(metrics, forwarding),
                Named.as("latest-identity-links"),
                LatestLinkProcessor.VERSIONS_STORE_NAME);
    }

    /** The table the join reads: the latest link per user, deleted by a tombstone. */
    private void identityLinkTable(KStream<byte[], LinkUpdate> linkUpdates) {
        linkUpdates
                .mapValues(LinkUpdate::link, Named.as("identity-link-values"))
                .toTable(
                        Named.as("identity-links-table"),
                        Materialized.<byte[], IdentityLink, KeyValueStore<Bytes, byte[]>>as(LINKS_STORE)
                                .withKeySerde(Serdes.ByteArray())
                                .withValueSerde(serdes.identityLink())
                                // Every interaction reads it, few write: a record cache in front would only add
                                // a sorted-map lookup, and on a miss an insert and an eviction, to each read.
                                .withCachingDisabled());
    }

    /** New and changed links, for the sink to forward to Kochava (none unless it does). */
    private static KStream<byte[], IdentityLink> linksToForward(KStream<byte[], LinkUpdate> linkUpdates) {
        return linkUpdates
                .filter((user, update) -> update.forward(), Named.as("identity-links-changed"))
                .mapValues(LinkUpdate::link, Named.as("identity-links-to-forward"));
    }

    /**
     * A left join with the IdentityLink table, by fb_user_id, and the engagement's assembly, in one processor that
     * reads the table's store; records without a user (impressions, clicks) skip the lookup.
     */
    private KStream<byte[], Engagement> enrich(KStream<byte[], BotInteraction> unique) {
        KStream<byte[], IngestOutcome<Engagement>> assembled = unique.processValues(
                () -> new EngagementAssembler(metrics, settings.limits().maxEngagementBytes(), LINKS_STORE),
                Named.as("assemble-engagements"),
                LINKS_STORE);
        // An engagement too large to write is dead-lettered before it reaches any topic or store.
        return acceptedOrDeadLettered(assembled, "engagements");
    }
}
