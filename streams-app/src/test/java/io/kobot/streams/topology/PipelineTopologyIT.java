package io.kobot.streams.topology;

import static io.kobot.streams.topology.Interactions.click;
import static io.kobot.streams.topology.Interactions.event;
import static io.kobot.streams.topology.Interactions.json;
import static io.kobot.streams.topology.Interactions.link;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;
import io.kobot.streams.deadletter.DeadLetterHandlers;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology on a real broker and a real Confluent-API registry, with exactly-once processing: a mixed stream
 * of valid, duplicate, malformed and invalid records, users with and without links, a link updated and deleted.
 * Asserts the exact engagements and the exact dead letters.
 */
@ExtendWith(RealInfrastructureExtension.class)
class PipelineTopologyIT {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private static final int PARTITIONS = 3;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final TopicNames topics = new TopicNames(
            "interactions-" + run, "links-" + run, "engagements-" + run, "deliveries-" + run, "dlq-" + run);
    private final PipelineMetrics metrics = new PipelineMetrics();
    private Map<String, Object> registryConfig;
    private PipelineSerdes serdes;
    private KafkaStreams streams;
    private KafkaProducer<byte[], byte[]> producer;
    private SpecificAvroSerde<BotInteraction> interactionSerde;
    private SpecificAvroSerde<IdentityLink> linkSerde;

    @BeforeEach
    void start(KafkaBroker broker, ApicurioRegistry registry, @TempDir Path stateDir) {
        registryConfig = Map.of("schema.registry.url", registry.confluentApiUrl());
        broker.createTopic(topics.interactions(), PARTITIONS);
        broker.createTopic(topics.identityLinks(), PARTITIONS, Map.of("cleanup.policy", "compact"));
        broker.createTopic(topics.engagements(), PARTITIONS);
        broker.createTopic(topics.deadLetters(), 1);

        Properties props = new Properties();
        props.putAll(broker.clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "kobot-it-" + run);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        serdes = new PipelineSerdes(registryConfig);
        props.putAll(DeadLetterHandlers.streamsConfig(
                topics.deadLetters(), metrics, serdes.deadLetter().serializer()));
        TopologySettings settings = TopologySettings.DEFAULTS.withTopics(topics).withSourcePartitions(PARTITIONS);
        streams = new KafkaStreams(new PipelineTopology(settings, serdes, metrics, EngagementSink.NONE).build(), props);
        streams.start();

        Map<String, Object> producerProps = broker.clientProperties();
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer = new KafkaProducer<>(producerProps);
        interactionSerde = SpecificAvroSerde.of(BotInteraction.class, registryConfig, false);
        linkSerde = SpecificAvroSerde.of(IdentityLink.class, registryConfig, false);
    }

    @AfterEach
    void stop() {
        producer.close();
        streams.close(Duration.ofSeconds(30));
        serdes.close();
    }

    @Test
    void mixedStreamComesOutDeduplicatedEnrichedAndDeadLettered(KafkaBroker broker) throws Exception {
        Instant t = Instant.now().minusSeconds(60);
        // Phase 1: links for u-1 and u-2; none for u-3.
        sendLink("u-1", avro(link("u-1", t, Map.of("kochava_device_id", "KD-1", "adid", "A-1"))));
        sendLink(
                "u-2",
                utf8("{\"fb_user_id\":\"u-2\",\"device_ids\":{\"idfa\":\"I-2\"},\"updated_at\":" + t.toEpochMilli()
                        + "}"));
        sendLink("u-9", avro(link("u-8", t, Map.of("adid", "A-8")))); // key is not the link's user
        producer.flush();
        await().atMost(60, TimeUnit.SECONDS).until(() -> metrics.count(PipelineMetrics.LINK_UPDATES) == 2);

        BotInteraction e1 =
                event("e-1", "u-1", t).setDeviceIds(Map.of("adid", "BOT-A")).build();
        send("u-1", avro(e1));
        send("u-1", avro(e1)); // duplicate, same key
        send("webhook-7", avro(e1)); // duplicate, other key: re-keyed, still dropped
        send("u-2", utf8(json("e-2", "u-2", "EVENT", t.toEpochMilli(), "\"event_name\":\"Start Chatting\"")));
        send("u-3", avro(event("e-3", "u-3", t).build()));
        send(null, avro(click("c-1", null, t).build()));
        send("u-3", avro(click("c-2", "u-3", t).build()));
        byte[] garbage = {42, 0, 1, 2};
        send("u-4", garbage); // UNPARSEABLE
        byte[] noUser = utf8(json("e-4", null, "EVENT", t.toEpochMilli(), "\"event_name\":\"Purchase\""));
        send("u-4", noUser); // MISSING_FB_USER_ID
        byte[] badUrl = avro(
                click("c-3", "u-4", t).setTrackingUrl("javascript:alert(1)").build());
        send("u-4", badUrl); // INVALID_TRACKING_URL
        producer.flush();
        List<Engagement> phase1 = readEngagements(broker, 5);

        // Phase 2: u-1's link updated, u-2's deleted.
        sendLink("u-1", avro(link("u-1", t.plusSeconds(5), Map.of("kochava_device_id", "KD-1b"))));
        sendLink("u-2", null);
        producer.flush();
        await().atMost(60, TimeUnit.SECONDS)
                .until(() -> metrics.count(PipelineMetrics.LINK_UPDATES) == 3
                        && metrics.count(PipelineMetrics.LINK_DELETES) == 1);
        send("u-1", avro(event("e-5", "u-1", t).build()));
        send("u-2", avro(event("e-6", "u-2", t).build()));
        send("u-1", avro(e1)); // still a duplicate after the link changed
        producer.flush();
        List<Engagement> all = readEngagements(broker, 7);

        Map<String, Map<String, String>> deviceIdsById =
                all.stream().collect(Collectors.toMap(Engagement::getInteractionId, Engagement::getDeviceIds));
        assertThat(all).hasSize(7);
        assertThat(phase1).hasSize(5);
        assertThat(deviceIdsById).containsOnlyKeys("e-1", "e-2", "e-3", "c-1", "c-2", "e-5", "e-6");
        // c-1 has no user: it is keyed by its id and skips the join.
        assertThat(deviceIdsById.get("e-1"))
                .containsOnly(
                        Map.entry("fb_user_id", "u-1"),
                        Map.entry("kochava_device_id", "KD-1"),
                        Map.entry("adid", "BOT-A"));
        assertThat(deviceIdsById.get("e-2")).containsOnly(Map.entry("fb_user_id", "u-2"), Map.entry("idfa", "I-2"));
        assertThat(deviceIdsById.get("e-3")).containsOnly(Map.entry("fb_user_id", "u-3"));
        assertThat(deviceIdsById.get("c-1")).isEmpty();
        assertThat(deviceIdsById.get("c-2")).containsOnly(Map.entry("fb_user_id", "u-3"));
        assertThat(deviceIdsById.get("e-5"))
                .containsOnly(Map.entry("fb_user_id", "u-1"), Map.entry("kochava_device_id", "KD-1b"));
        assertThat(deviceIdsById.get("e-6")).containsOnly(Map.entry("fb_user_id", "u-2"));
        assertThat(metrics.count(PipelineMetrics.DUPLICATES_DROPPED)).isEqualTo(3);

        List<DeadLetter> deadLetters = readDeadLetters(broker, 4);
        assertThat(deadLetters)
                .extracting(DeadLetter::getReasonCode)
                .containsExactlyInAnyOrder(
                        "INVALID_IDENTITY_LINK", "UNPARSEABLE", "MISSING_FB_USER_ID", "INVALID_TRACKING_URL");
        Map<String, DeadLetter> byReason =
                deadLetters.stream().collect(Collectors.toMap(DeadLetter::getReasonCode, d -> d));
        assertThat(byReason.get("UNPARSEABLE").getOriginalValue()).isEqualTo(ByteBuffer.wrap(garbage));
        assertThat(byReason.get("UNPARSEABLE").getSourceTopic()).isEqualTo(topics.interactions());
        assertThat(byReason.get("MISSING_FB_USER_ID").getOriginalValue()).isEqualTo(ByteBuffer.wrap(noUser));
        assertThat(byReason.get("MISSING_FB_USER_ID").getInteractionId()).isEqualTo("e-4");
        assertThat(byReason.get("INVALID_TRACKING_URL").getOriginalValue()).isEqualTo(ByteBuffer.wrap(badUrl));
        assertThat(byReason.get("INVALID_TRACKING_URL").getOriginalKey())
                .isEqualTo(ByteBuffer.wrap("u-4".getBytes(StandardCharsets.UTF_8)));
        assertThat(byReason.get("INVALID_IDENTITY_LINK").getSourceTopic()).isEqualTo(topics.identityLinks());
        assertThat(deadLetters).allSatisfy(d -> assertThat(d.getSourceOffset()).isNotNull());
    }

    private void send(String key, byte[] value) {
        producer.send(new ProducerRecord<>(topics.interactions(), utf8(key), value));
    }

    private void sendLink(String user, byte[] value) {
        producer.send(new ProducerRecord<>(topics.identityLinks(), utf8(user), value));
    }

    private byte[] avro(BotInteraction interaction) {
        return interactionSerde.serializer().serialize(topics.interactions(), interaction);
    }

    private byte[] avro(IdentityLink link) {
        return linkSerde.serializer().serialize(topics.identityLinks(), link);
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private List<Engagement> readEngagements(KafkaBroker broker, int expected) {
        return CommittedRecords.avro(
                broker, topics.engagements(), Engagement.class, registryConfig, expected, READ_TIMEOUT);
    }

    private List<DeadLetter> readDeadLetters(KafkaBroker broker, int expected) {
        return CommittedRecords.avro(
                broker, topics.deadLetters(), DeadLetter.class, registryConfig, expected, READ_TIMEOUT);
    }
}
