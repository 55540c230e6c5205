package io.kobot.streams.deliver;

import static org.awaitility.Awaitility.await;

import io.kobot.kochava.KochavaClientConfig;
import io.kobot.kochava.KochavaDeliverer;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.EngagementDelivery;
import io.kobot.schema.InteractionType;
import io.kobot.streams.deadletter.DeadLetterHandlers;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.streams.topology.PipelineSerdes;
import io.kobot.streams.topology.PipelineTopology;
import io.kobot.streams.topology.TopicNames;
import io.kobot.streams.topology.TopologySettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The whole pipeline with the delivery sink in a {@link TopologyTestDriver} on a given state directory. The
 * deliverer is the caller's, like the application's, so that a test can restart the driver and keep it.
 */
final class DeliveryFixture implements AutoCloseable {
    static final String APP = "kobot-demo-1a2b3c";
    /** The driver's wall clock starts here; interactions happened a minute before. */
    static final Instant START = Instant.parse("2026-11-25T00:00:00Z");

    static final Instant OCCURRED = START.minusSeconds(60);

    final TopologyTestDriver driver;
    private final PipelineSerdes serdes;
    private final TopicNames topics = TopicNames.DEFAULTS;
    private final SpecificAvroSerde<BotInteraction> interactionSerde;
    private final SpecificAvroSerde<EngagementDelivery> deliverySerde;
    private final SpecificAvroSerde<DeadLetter> deadLetterSerde;
    private final TestInputTopic<byte[], byte[]> interactions;
    private final TestOutputTopic<byte[], byte[]> deliveryTopic;
    private final TestOutputTopic<byte[], byte[]> deadLetterTopic;
    private final List<EngagementDelivery> deliveries = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();

    DeliveryFixture(
            Path stateDir,
            Map<String, Object> registryConfig,
            Map<String, ?> deliveryConfig,
            KochavaDeliverer deliverer,
            DeliveryStatistics statistics) {
        KochavaDeliverySink sink =
                new KochavaDeliverySink(topics, DeliverySettings.from(deliveryConfig), deliverer, statistics);
        PipelineMetrics metrics = new PipelineMetrics();
        // Tracking URLs are allowed at ingest as the client allows them.
        TopologySettings settings = TopologySettings.DEFAULTS.withPingAllowedHosts(
                KochavaClientConfig.from(deliveryConfig).pingAllowedHosts());
        serdes = new PipelineSerdes(registryConfig);
        PipelineTopology topology = new PipelineTopology(settings, serdes, metrics, sink);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "kobot-delivery-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.putAll(DeadLetterHandlers.streamsConfig(
                topics.deadLetters(), metrics, serdes.deadLetter().serializer()));
        driver = new TopologyTestDriver(topology.build(), props, START);

        interactionSerde = SpecificAvroSerde.of(BotInteraction.class, registryConfig, false);
        deliverySerde = SpecificAvroSerde.of(EngagementDelivery.class, registryConfig, false);
        deadLetterSerde = SpecificAvroSerde.of(DeadLetter.class, registryConfig, false);
        interactions =
                driver.createInputTopic(topics.interactions(), new ByteArraySerializer(), new ByteArraySerializer());
        deliveryTopic =
                driver.createOutputTopic(topics.deliveries(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetterTopic = driver.createOutputTopic(
                topics.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static BotInteraction.Builder event(String id, String user) {
        return BotInteraction.newBuilder()
                .setInteractionId(id)
                .setKochavaAppId(APP)
                .setType(InteractionType.EVENT)
                .setFbUserId(user)
                .setOccurredAt(OCCURRED)
                .setEventName("Purchase")
                .setEventData("{\"currency\":\"USD\",\"sum\":100}")
                .setDeviceIds(new HashMap<>());
    }

    static BotInteraction.Builder ping(InteractionType type, String id, String user, String trackingUrl) {
        return BotInteraction.newBuilder()
                .setInteractionId(id)
                .setKochavaAppId(APP)
                .setType(type)
                .setFbUserId(user)
                .setOccurredAt(OCCURRED)
                .setTrackingUrl(trackingUrl)
                .setDeviceIds(new HashMap<>());
    }

    void pipe(BotInteraction interaction) {
        String key = interaction.getFbUserId() != null ? interaction.getFbUserId() : interaction.getInteractionId();
        interactions.pipeInput(
                key.getBytes(StandardCharsets.UTF_8),
                interactionSerde.serializer().serialize(topics.interactions(), interaction),
                START);
    }

    /** Audit records so far. */
    List<EngagementDelivery> deliveries() {
        collect();
        return deliveries;
    }

    List<DeadLetter> deadLetters() {
        collect();
        return deadLetters;
    }

    /**
     * Advances the wall clock in small steps, which runs the punctuator that writes completed deliveries, until
     * {@code done} holds for the audit records.
     */
    List<EngagementDelivery> awaitDeliveries(Predicate<List<EngagementDelivery>> done) {
        await().atMost(30, TimeUnit.SECONDS)
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    driver.advanceWallClockTime(Duration.ofMillis(10));
                    return done.test(deliveries());
                });
        return deliveries();
    }

    List<EngagementDelivery> awaitDeliveries(int count) {
        return awaitDeliveries(list -> list.size() >= count);
    }

    /**
     * Advances the wall clock until every engagement piped so far has completed: its outbox entry is deleted in the
     * same step that writes its audit record and dead letter.
     */
    void awaitOutboxEmpty() {
        await().atMost(30, TimeUnit.SECONDS)
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    driver.advanceWallClockTime(Duration.ofMillis(10));
                    return outboxKeys().isEmpty();
                });
    }

    /** The outbox entries of the driver's single task, by sequence. */
    List<Long> outboxKeys() {
        KeyValueStore<Long, OutboxEntry> store = driver.getKeyValueStore(KochavaDeliverySink.OUTBOX_STORE);
        List<Long> keys = new ArrayList<>();
        try (KeyValueIterator<Long, OutboxEntry> all = store.all()) {
            all.forEachRemaining((KeyValue<Long, OutboxEntry> entry) -> keys.add(entry.key));
        }
        return keys;
    }

    private void collect() {
        deliveryTopic
                .readValuesToList()
                .forEach(value -> deliveries.add(deliverySerde.deserializer().deserialize(topics.deliveries(), value)));
        deadLetterTopic
                .readValuesToList()
                .forEach(value ->
                        deadLetters.add(deadLetterSerde.deserializer().deserialize(topics.deadLetters(), value)));
    }

    @Override
    public void close() {
        driver.close();
        serdes.close();
    }
}
