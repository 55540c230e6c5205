package io.kobot.streams.topology;

import static io.kobot.streams.topology.Interactions.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.Engagement;
import io.kobot.streams.deadletter.DeadLetterHandlers;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
    private final TopicNames topics = new TopicNames(
            "alos-in-" + run,
            "alos-links-" + run,
            "alos-engagements-" + run,
            "alos-deliveries-" + run,
            "alos-dlq-" + run);
    private final String applicationId = "kobot-alos-" + run;

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

    private KafkaStreams start(
            KafkaBroker broker, Map<String, Object> registryConfig, Path stateDir, PipelineMetrics metrics) {
        Properties props = new Properties();
        props.putAll(broker.clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.putAll(registryConfig);
        props.putAll(DeadLetterHandlers.streamsConfig(topics.deadLetters(), metrics));
        TopologySettings settings = TopologySettings.DEFAULTS.withTopics(topics).withSourcePartitions(1);
        KafkaStreams streams = new KafkaStreams(
                new PipelineTopology(settings, registryConfig, metrics, EngagementSink.NONE).build(), props);
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
