package io.kobot.streams.topology;

import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;
import io.kobot.streams.deliver.ExactlyOnceInstance;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One integration test's run of the topology on the real broker and registry: topics of its own, the exactly-once
 * Streams settings with the dead-letter handlers, and a producer and registry serdes to write the input and read the
 * output. The test adds what it is about: its topology settings and sink, limits, listeners.
 */
final class BrokerRun implements AutoCloseable {
    final String id = UUID.randomUUID().toString().substring(0, 8);
    final TopicNames topics =
            new TopicNames("interactions-" + id, "links-" + id, "engagements-" + id, "deliveries-" + id, "dlq-" + id);
    final PipelineMetrics metrics = new PipelineMetrics();
    final Map<String, Object> registryConfig;
    final PipelineSerdes serdes;
    final KafkaProducer<byte[], byte[]> producer;
    private final KafkaBroker broker;
    private final SpecificAvroSerde<BotInteraction> interactionSerde;
    private final SpecificAvroSerde<IdentityLink> linkSerde;

    /**
     * Creates the interactions, identity-links (compacted) and engagements topics with {@code partitions} each and a
     * dead-letter topic of one; {@code producerOverrides} go on top of the producer's settings.
     */
    BrokerRun(KafkaBroker broker, ApicurioRegistry registry, int partitions, Map<String, Object> producerOverrides) {
        this.broker = broker;
        registryConfig = Map.of("schema.registry.url", registry.confluentApiUrl());
        broker.createTopic(topics.interactions(), partitions);
        broker.createTopic(topics.identityLinks(), partitions, Map.of("cleanup.policy", "compact"));
        broker.createTopic(topics.engagements(), partitions);
        broker.createTopic(topics.deadLetters(), 1);
        serdes = new PipelineSerdes(registryConfig);
        Map<String, Object> producerProps = broker.clientProperties();
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerProps.putAll(producerOverrides);
        producer = new KafkaProducer<>(producerProps);
        interactionSerde = SpecificAvroSerde.of(BotInteraction.class, registryConfig, false);
        linkSerde = SpecificAvroSerde.of(IdentityLink.class, registryConfig, false);
    }

    /** The instance's Streams settings ({@link ExactlyOnceInstance}) for the application {@code prefix} + run id. */
    Properties streamsProperties(String applicationIdPrefix, Path stateDir) {
        return ExactlyOnceInstance.streamsProperties(
                broker, applicationIdPrefix + id, stateDir, topics.deadLetters(), metrics, serdes);
    }

    void send(String key, byte[] value) {
        producer.send(new ProducerRecord<>(topics.interactions(), utf8(key), value));
    }

    void sendLink(String user, byte[] value) {
        producer.send(new ProducerRecord<>(topics.identityLinks(), utf8(user), value));
    }

    void flush() {
        producer.flush();
    }

    byte[] avro(BotInteraction interaction) {
        return interactionSerde.serializer().serialize(topics.interactions(), interaction);
    }

    byte[] avro(IdentityLink link) {
        return linkSerde.serializer().serialize(topics.identityLinks(), link);
    }

    static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    List<Engagement> readEngagements(int expected, Duration timeout) {
        return CommittedRecords.avro(broker, topics.engagements(), Engagement.class, registryConfig, expected, timeout);
    }

    List<DeadLetter> readDeadLetters(int expected, Duration timeout) {
        return CommittedRecords.avro(broker, topics.deadLetters(), DeadLetter.class, registryConfig, expected, timeout);
    }

    /** Closes the producer and the serdes; close the Streams instance first, it uses the serdes. */
    @Override
    public void close() {
        producer.close();
        interactionSerde.close();
        linkSerde.close();
        serdes.close();
    }
}
