package io.kobot.streams.topology;

import io.kobot.registry.SchemaRegistryClients;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;
import io.kobot.streams.deadletter.DeadLetterHandlers;
import io.kobot.streams.metrics.PipelineMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The real topology in a {@link TopologyTestDriver}, with a mock:// registry, fed with raw bytes. */
final class TopologyFixture implements AutoCloseable {
    final PipelineMetrics metrics = new PipelineMetrics();
    final Map<String, Object> registryConfig;
    final PipelineSerdes serdes;
    final TopologyTestDriver driver;
    final TopicNames topics;
    private final String scope = "topology-test-" + UUID.randomUUID();
    private final SpecificAvroSerde<BotInteraction> interactionSerde;
    private final SpecificAvroSerde<IdentityLink> linkSerde;
    private final SpecificAvroSerde<Engagement> engagementSerde;
    private final SpecificAvroSerde<DeadLetter> deadLetterSerde;
    private final TestInputTopic<byte[], byte[]> interactions;
    private final TestInputTopic<byte[], byte[]> links;
    private final TestOutputTopic<byte[], byte[]> engagements;
    private final TestOutputTopic<byte[], byte[]> deadLetters;

    TopologyFixture(TopologySettings settings) {
        this(settings, EngagementSink.NONE);
    }

    TopologyFixture(TopologySettings settings, EngagementSink sink) {
        this.topics = settings.topics();
        this.registryConfig = Map.of("schema.registry.url", "mock://" + scope);
        this.serdes = new PipelineSerdes(registryConfig);
        PipelineTopology topology = new PipelineTopology(settings, serdes, metrics, sink);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "kobot-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir().toString());
        // Every internal topic and store must have an explicit name, so upgrades cannot rename them.
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.putAll(DeadLetterHandlers.streamsConfig(
                topics.deadLetters(), metrics, serdes.deadLetter().serializer()));
        driver = new TopologyTestDriver(topology.build(), props, Instant.parse("2026-11-25T00:00:00Z"));

        interactionSerde = SpecificAvroSerde.of(BotInteraction.class, registryConfig, false);
        linkSerde = SpecificAvroSerde.of(IdentityLink.class, registryConfig, false);
        engagementSerde = SpecificAvroSerde.of(Engagement.class, registryConfig, false);
        deadLetterSerde = SpecificAvroSerde.of(DeadLetter.class, registryConfig, false);
        interactions =
                driver.createInputTopic(topics.interactions(), new ByteArraySerializer(), new ByteArraySerializer());
        links = driver.createInputTopic(topics.identityLinks(), new ByteArraySerializer(), new ByteArraySerializer());
        engagements = driver.createOutputTopic(
                topics.engagements(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(
                topics.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static java.nio.file.Path stateDir() {
        try {
            return java.nio.file.Files.createTempDirectory("kobot-ttd-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    byte[] avro(BotInteraction interaction) {
        return interactionSerde.serializer().serialize(topics.interactions(), interaction);
    }

    byte[] avro(IdentityLink link) {
        return linkSerde.serializer().serialize(topics.identityLinks(), link);
    }

    void pipeRaw(String key, byte[] value, Instant timestamp) {
        interactions.pipeInput(utf8(key), value, timestamp);
    }

    void pipeAvro(BotInteraction interaction, Instant timestamp) {
        pipeRaw(interaction.getFbUserId(), avro(interaction), timestamp);
    }

    void pipeJson(String key, String json, Instant timestamp) {
        pipeRaw(key, utf8(json), timestamp);
    }

    void pipeLink(IdentityLink link, Instant timestamp) {
        links.pipeInput(utf8(link.getFbUserId()), avro(link), timestamp);
    }

    void pipeLinkRaw(String key, byte[] value, Instant timestamp) {
        links.pipeInput(utf8(key), value, timestamp);
    }

    List<TestRecord<byte[], Engagement>> engagements() {
        return engagements.readRecordsToList().stream()
                .map(r -> new TestRecord<>(
                        r.key(),
                        engagementSerde.deserializer().deserialize(topics.engagements(), r.value()),
                        r.headers(),
                        r.timestamp()))
                .toList();
    }

    List<TestRecord<byte[], DeadLetter>> deadLetters() {
        return deadLetters.readRecordsToList().stream()
                .map(r -> new TestRecord<>(
                        r.key(),
                        deadLetterSerde.deserializer().deserialize(topics.deadLetters(), r.value()),
                        r.headers(),
                        r.timestamp()))
                .toList();
    }

    @Override
    public void close() {
        driver.close();
        serdes.close();
        SchemaRegistryClients.dropMockScope(scope);
    }
}
