package io.kobot.streams.topology;

import static io.kobot.streams.topology.Interactions.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.Engagement;
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
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under {@code at_least_once} a crash can leave the dedup store (and its changelog) ahead of the committed input
 * offsets. The records then read again are the first copies themselves: they must be forwarded again (at least
 * once), while copies at other offsets are still dropped. The crash is reproduced exactly: the instance stops
 * after processing, and the group's committed offset is moved back to where a crash would have left it.
 */
@ExtendWith(RealInfrastructureExtension.class)
class AtLeastOnceReplayIT {
    private static final int INTERACTIONS = 20;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final TopicNames topics = RunTopics.of("alos-", run);
    private final String applicationId = "kobot-alos-" + run;
    private final List<PipelineSerdes> serdesOfInstances = new ArrayList<>();

    @Test
    void recordsReadAgainAfterACrashAreForwardedAgainAndCopiesStillDropped(
            KafkaBroker broker, ApicurioRegistry registry, @TempDir Path stateDir) throws Exception {
        Map<String, Object> registryConfig = Map.of("schema.registry.url", registry.confluentApiUrl());
        broker.createTopic(topics.interactions(), 1);
        broker.createTopic(topics.identityLinks(), 1, Map.of("cleanup.policy", "compact"));
        broker.createTopic(topics.engagements(), 1);
        broker.createTopic(topics.deadLetters(), 1);
        SpecificAvroSerde<BotInteraction> serde = SpecificAvroSerde.of(BotInteraction.class, registryConfig, false);
        Instant t = Instant.now().minusSeconds(60);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(broker.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < INTERACTIONS; i++) {
                BotInteraction interaction = event("e-" + i, "u-" + i, t).build();
                byte[] value = serde.serializer().serialize(topics.interactions(), interaction);
                producer.send(new ProducerRecord<>(topics.interactions(), key(interaction), value));
                if (i == 0) { // a copy at another offset: a duplicate both times
                    producer.send(new ProducerRecord<>(topics.interactions(), key(interaction), value));
                }
            }
            producer.flush();
        }

        PipelineMetrics first = new PipelineMetrics();
        try (KafkaStreams streams = start(broker, registryConfig, stateDir, first)) {
            assertThat(engagementsById(broker, registryConfig, INTERACTIONS).values())
                    .containsOnly(1L);
            assertThat(first.count(PipelineMetrics.DUPLICATES_DROPPED)).isOne();
        }
        try (Admin admin = Admin.create(broker.clientProperties())) {
            // Streams' consumers do not leave the group on close: remove them rather than wait for their session.
            admin.removeMembersFromConsumerGroup(applicationId, new RemoveMembersFromConsumerGroupOptions())
                    .all()
                    .get();
            await().atMost(READ_TIMEOUT)
                    .until(() -> admin.describeConsumerGroups(List.of(applicationId))
                                    .all()
                                    .get()
                                    .get(applicationId)
                                    .groupState()
                            == GroupState.EMPTY);
            admin.alterConsumerGroupOffsets(
                            applicationId,
                            Map.of(new TopicPartition(topics.interactions(), 0), new OffsetAndMetadata(0)))
                    .all()
                    .get();
        }

        PipelineMetrics second = new PipelineMetrics();
        try (KafkaStreams restarted = start(broker, registryConfig, stateDir, second)) {
            assertThat(engagementsById(broker, registryConfig, 2 * INTERACTIONS).values())
                    .as("every interaction forwarded again, none lost, the copy still dropped")
                    .hasSize(INTERACTIONS)
                    .containsOnly(2L);
            assertThat(second.count(PipelineMetrics.DUPLICATES_DROPPED)).isOne();
        }
    }

    @AfterEach
    void closeSerdes() {
        serdesOfInstances.forEach(PipelineSerdes::close);
    }

    /** Starts an instance with its own serdes, as a process would. */
    private KafkaStreams start(
            KafkaBroker broker, Map<String, Object> registryConfig, Path stateDir, PipelineMetrics metrics) {
        PipelineSerdes serdes = new PipelineSerdes(registryConfig);
        serdesOfInstances.add(serdes);
        Properties props = ExactlyOnceInstance.streamsProperties(
                broker, applicationId, stateDir, topics.deadLetters(), metrics, serdes);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        TopologySettings settings = TopologySettings.DEFAULTS.withTopics(topics).withSourcePartitions(1);
        KafkaStreams streams =
                new KafkaStreams(new PipelineTopology(settings, serdes, metrics, EngagementSink.NONE).build(), props);
        streams.start();
        return streams;
    }

    private Map<String, Long> engagementsById(KafkaBroker broker, Map<String, Object> registryConfig, int expected) {
        return CommittedRecords.avro(
                        broker, topics.engagements(), Engagement.class, registryConfig, expected, READ_TIMEOUT)
                .stream()
                .collect(Collectors.groupingBy(e -> e.getInteractionId().toString(), Collectors.counting()));
    }

    private static byte[] key(BotInteraction interaction) {
        return interaction.getFbUserId().getBytes(StandardCharsets.UTF_8);
    }
}
