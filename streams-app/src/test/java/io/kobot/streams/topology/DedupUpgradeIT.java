package io.kobot.streams.topology;

import static io.kobot.streams.topology.Interactions.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.Engagement;
import io.kobot.streams.dedup.PreviousVersionDedup;
import io.kobot.streams.deliver.ExactlyOnceInstance;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance upgraded from a version with the previous dedup store layout keeps the ids that version saw: an
 * instance of that version deduplicates a first batch, then the current topology starts on the same application id,
 * state directory and changelogs and drops the copies of that batch up to exactly a retention after their first
 * copy; so does one on an empty state directory, which restores both stores from their changelogs.
 */
@ExtendWith(RealInfrastructureExtension.class)
class DedupUpgradeIT {
    private static final int BEFORE_UPGRADE = 20;
    private static final int AFTER_UPGRADE = 5;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RETENTION = TopologySettings.DEFAULTS.dedupRetention();

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final TopicNames topics = RunTopics.of("upgrade-", run);
    private final String previousOut = "upgrade-previous-out-" + run;
    private final String applicationId = "kobot-upgrade-" + run;
    private final Instant t = Instant.now().minusSeconds(60);
    /** When the previous version saw the first copies: more than a retention ago, to find its exact edge. */
    private final Instant firstSeen = Instant.now().minus(RETENTION).minusSeconds(3600);

    private final List<PipelineSerdes> serdesOfInstances = new ArrayList<>();

    @Test
    void copiesOfInteractionsSeenBeforeTheUpgradeAreDroppedAfterIt(
            KafkaBroker broker, ApicurioRegistry registry, @TempDir Path stateDir, @TempDir Path emptyStateDir)
            throws Exception {
        Map<String, Object> registryConfig = Map.of("schema.registry.url", registry.confluentApiUrl());
        broker.createTopic(topics.interactions(), 1);
        broker.createTopic(topics.identityLinks(), 1, Map.of("cleanup.policy", "compact"));
        broker.createTopic(topics.engagements(), 1);
        broker.createTopic(topics.deadLetters(), 1);
        broker.createTopic(previousOut, 1);
        SpecificAvroSerde<BotInteraction> serde = SpecificAvroSerde.of(BotInteraction.class, registryConfig, false);
        List<BotInteraction> seenBefore = interactions("before-", BEFORE_UPGRADE, firstSeen);
        List<BotInteraction> newAfter = interactions("after-", AFTER_UPGRADE, t);

        publish(broker, serde, seenBefore, firstSeen);
        publish(broker, serde, seenBefore.subList(0, 1), firstSeen.plusSeconds(1)); // a copy it drops
        PipelineSerdes previousSerdes = serdes(registryConfig);
        KafkaStreams previous = start(
                broker,
                PreviousVersionDedup.topology(
                        topics.interactions(), previousOut, previousSerdes.interaction(), RETENTION),
                stateDir,
                new PipelineMetrics(),
                previousSerdes);
        try {
            assertThat(CommittedRecords.read(broker, previousOut, BEFORE_UPGRADE, READ_TIMEOUT))
                    .hasSize(BEFORE_UPGRADE);
        } finally {
            stop(previous);
        }

        publish(broker, serde, seenBefore, firstSeen.plus(RETENTION).minusMillis(1));
        List<BotInteraction> edge = seenBefore.subList(1, 2);
        publish(broker, serde, edge, firstSeen.plus(RETENTION)); // a retention after its first copy: new again
        publish(broker, serde, newAfter, t);
        PipelineMetrics upgraded = new PipelineMetrics();
        List<String> expected = new ArrayList<>(ids(edge));
        expected.addAll(ids(newAfter));
        KafkaStreams upgradedInstance = startCurrent(broker, registryConfig, stateDir, upgraded);
        try {
            assertThat(engagementIds(broker, registryConfig, expected.size()))
                    .as("only what the previous version never saw within the retention")
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(upgraded.count(PipelineMetrics.DUPLICATES_DROPPED)).isEqualTo(BEFORE_UPGRADE);
        } finally {
            stop(upgradedInstance);
        }

        publish(broker, serde, seenBefore, firstSeen.plusSeconds(3600));
        publish(broker, serde, newAfter, t.plusSeconds(1));
        List<BotInteraction> last = interactions("last-", 1, t);
        publish(broker, serde, last, t.plusSeconds(1));
        PipelineMetrics restored = new PipelineMetrics();
        expected.addAll(ids(last));
        KafkaStreams restoredInstance = startCurrent(broker, registryConfig, emptyStateDir, restored);
        try {
            assertThat(engagementIds(broker, registryConfig, expected.size()))
                    .as("ids from both changelogs remembered after a restore")
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(restored.count(PipelineMetrics.DUPLICATES_DROPPED)).isEqualTo(BEFORE_UPGRADE + AFTER_UPGRADE);
        } finally {
            stop(restoredInstance);
        }
    }

    @AfterEach
    void closeSerdes() {
        serdesOfInstances.forEach(PipelineSerdes::close);
    }

    private static List<BotInteraction> interactions(String prefix, int count, Instant occurredAt) {
        return IntStream.range(0, count)
                .mapToObj(i -> event(prefix + i, "u-" + prefix + i, occurredAt).build())
                .toList();
    }

    private void publish(
            KafkaBroker broker, SpecificAvroSerde<BotInteraction> serde, List<BotInteraction> batch, Instant at) {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(broker.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (BotInteraction interaction : batch) {
                byte[] value = serde.serializer().serialize(topics.interactions(), interaction);
                byte[] key = interaction.getFbUserId().getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topics.interactions(), null, at.toEpochMilli(), key, value));
            }
            producer.flush();
        }
    }

    private PipelineSerdes serdes(Map<String, Object> registryConfig) {
        PipelineSerdes serdes = new PipelineSerdes(registryConfig);
        serdesOfInstances.add(serdes);
        return serdes;
    }

    private KafkaStreams startCurrent(
            KafkaBroker broker, Map<String, Object> registryConfig, Path stateDir, PipelineMetrics metrics) {
        PipelineSerdes serdes = serdes(registryConfig);
        TopologySettings settings = TopologySettings.DEFAULTS
                .withTopics(topics)
                .withSourcePartitions(1)
                .withPreviousDedupStore(true);
        return start(
                broker,
                new PipelineTopology(settings, serdes, metrics, EngagementSink.NONE).build(),
                stateDir,
                metrics,
                serdes);
    }

    /** Starts an instance of {@code topology} under the one application id, as a process would. */
    private KafkaStreams start(
            KafkaBroker broker, Topology topology, Path stateDir, PipelineMetrics metrics, PipelineSerdes serdes) {
        KafkaStreams streams = new KafkaStreams(
                topology,
                ExactlyOnceInstance.streamsProperties(
                        broker, applicationId, stateDir, topics.deadLetters(), metrics, serdes));
        streams.start();
        return streams;
    }

    /** Closes and leaves the group, so that the next instance gets the tasks without waiting for a session timeout. */
    private static void stop(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }

    private List<String> engagementIds(KafkaBroker broker, Map<String, Object> registryConfig, int expected) {
        return CommittedRecords.avro(
                        broker, topics.engagements(), Engagement.class, registryConfig, expected, READ_TIMEOUT)
                .stream()
                .map(e -> e.getInteractionId().toString())
                .toList();
    }

    private static List<String> ids(List<BotInteraction> interactions) {
        return interactions.stream().map(i -> i.getInteractionId().toString()).toList();
    }
}
