package io.kobot.connect.kochava;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.Engagement;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.RealInfrastructureExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.StringConverter;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector on an embedded Connect worker (connect-runtime's EmbeddedConnectCluster, with the KRaft broker it
 * starts for itself) and Kochava played by WireMock. Avro values go through {@link RegistryAvroConverter} and a real
 * Apicurio registry while WireMock answers 503 for a stretch, then 200, and 400 to one record all along; schemaless
 * JSON values go through JsonConverter.
 */
@ExtendWith(RealInfrastructureExtension.class)
class KochavaSinkConnectorIT {

    private static final Logger log = LoggerFactory.getLogger(KochavaSinkConnectorIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String CONNECTOR = "kochava-sink";
    private static final String GROUP = "connect-" + CONNECTOR;
    private static final String TOPIC = "bot.engagements";
    private static final String DLQ = "bot.engagements.connect-dlq";
    private static final int PARTITIONS = 3;
    private static final int TASKS = 2;
    private static final int RECORDS = 300;
    private static final int POISON_INDEX = 137;
    private static final String POISON = "Poison";
    private static final String TRACK = "/track/json";

    private ConnectStandIns standIns;
    private WireMockServer kochava;
    private EmbeddedConnectCluster connect;

    @BeforeEach
    void start() {
        standIns = new ConnectStandIns("kochava-connect-it", Duration.ofSeconds(1));
        kochava = standIns.kochava;
        connect = standIns.connect;
    }

    @AfterEach
    void stop() {
        if (standIns != null) standIns.close();
    }

    @Test
    void deliversThroughA503StretchDeadLettersThe400AndCommitsToTheEnd(ApicurioRegistry registry) throws Exception {
        Map<String, Object> serdeConfigs = Map.of("schema.registry.url", registry.confluentApiUrl());
        connect.kafka().createTopic(TOPIC, PARTITIONS);
        kochava.stubFor(post(urlPathEqualTo(TRACK))
                .atPriority(1)
                .withRequestBody(matchingJsonPath("$.data.event_name", equalTo(POISON)))
                .willReturn(aResponse().withStatus(400).withBody("{\"success\":\"0\",\"error\":\"invalid event\"}")));
        kochava.stubFor(post(urlPathEqualTo(TRACK))
                .atPriority(5)
                .willReturn(aResponse().withStatus(503).withBody("down for maintenance")));

        connect.configureConnector(CONNECTOR, connectorConfig(registry));
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(CONNECTOR, TASKS, "connector did not start");
        // Produce once both tasks own their partitions: a rebalance amid the outage would hand the open records,
        // the rejected one among them, to another task, which would deliver and dead-letter them again.
        await().atMost(Duration.ofSeconds(30)).until(this::sinkGroupSettled);

        List<Engagement> sent = IntStream.range(0, RECORDS)
                .mapToObj(i -> TestEngagements.event("it-" + i, i == POISON_INDEX ? POISON : "Event-" + i))
                .toList();
        long started = System.nanoTime();
        produce(serdeConfigs, sent);

        // The stretch: every record is refused and retried; none may be committed meanwhile.
        await().atMost(Duration.ofSeconds(60)).until(() -> responses(503) >= 2 * RECORDS);
        assertThat(committedTotal()).as("committed during the outage").isLessThanOrEqualTo(1);
        // The outage ends: a stub of higher priority shadows the 503 one, with no gap in between.
        kochava.stubFor(post(urlPathEqualTo(TRACK)).atPriority(3).willReturn(okJson("{\"success\":\"1\"}")));

        Set<String> expected = sent.stream()
                .map(Engagement::getEventName)
                .filter(name -> !name.equals(POISON))
                .collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> assertThat(deliveredEventNames()).isEqualTo(expected));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(committedTotal()).isEqualTo(RECORDS));
        double seconds = (System.nanoTime() - started) / 1e9;

        ConsumerRecords<byte[], byte[]> deadLetters = connect.kafka().consumeAll(30_000, DLQ);
        assertThat(deadLetters.count()).isEqualTo(1);
        ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.iterator().next();
        try (SpecificAvroSerde<Engagement> serde = SpecificAvroSerde.of(Engagement.class, serdeConfigs, false)) {
            assertThat(serde.deserializer().deserialize(DLQ, deadLetter.value()))
                    .isEqualTo(sent.get(POISON_INDEX));
        }
        assertThat(header(deadLetter, "__connect.errors.exception.message"))
                .contains("REJECTED")
                .contains("HTTP 400")
                .doesNotContain("fb-it-");
        assertThat(header(deadLetter, "__connect.errors.topic")).isEqualTo(TOPIC);

        long delivered = kochava.getAllServeEvents().stream()
                .filter(event -> status(event) == 200)
                .count();
        log.info(
                "{} records in {} s: {} requests answered 503, {} answered 200 ({} sent twice), 1 rejected with 400 "
                        + "and dead-lettered, committed offsets at the end of all {} partitions",
                RECORDS,
                String.format("%.1f", seconds),
                responses(503),
                delivered,
                delivered - expected.size(),
                PARTITIONS);
    }

    @Test
    void deliversSchemalessJson() throws Exception {
        String topic = "bot.engagements.json";
        String connector = "kochava-json-sink";
        connect.kafka().createTopic(topic, 1);
        kochava.stubFor(post(urlPathEqualTo(TRACK)).willReturn(okJson("{\"success\":1}")));
        int records = 20;
        for (int i = 0; i < records; i++) {
            String json =
                    "{\"interaction_id\":\"json-" + i + "\",\"kochava_app_id\":\"kobot-test-app\",\"type\":\"EVENT\","
                            + "\"fb_user_id\":\"fb-" + i
                            + "\",\"occurred_at\":\"2026-03-01T12:00:00Z\",\"event_name\":\"Json-" + i + "\","
                            + "\"event_data\":{\"sum\":" + i + "}}";
            connect.kafka().produce(topic, "fb-" + i, json);
        }
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", KochavaSinkConnector.class.getName());
        config.put("topics", topic);
        config.put("key.converter", StringConverter.class.getName());
        config.put("value.converter", JsonConverter.class.getName());
        config.put("value.converter.schemas.enable", "false");
        config.put("kochava.endpoint", kochava.baseUrl() + TRACK);
        // WireMock listens on loopback: a stand-in, allowed explicitly.
        config.put("kochava.allow-private-addresses", "true");
        connect.configureConnector(connector, config);

        Set<String> expected =
                IntStream.range(0, records).mapToObj(i -> "Json-" + i).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(deliveredEventNames()).isEqualTo(expected));
        assertThat(kochava.getAllServeEvents())
                .allSatisfy(event -> assertThat(JSON.readTree(event.getRequest().getBodyAsString())
                                .at("/data/event_data/sum")
                                .isNumber())
                        .isTrue());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(committedTotal("connect-" + connector)).isEqualTo(records));
    }

    private Map<String, String> connectorConfig(ApicurioRegistry registry) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", KochavaSinkConnector.class.getName());
        config.put("tasks.max", String.valueOf(TASKS));
        config.put("topics", TOPIC);
        config.put("key.converter", StringConverter.class.getName());
        config.put("value.converter", RegistryAvroConverter.class.getName());
        config.put("value.converter.schema.registry.url", registry.confluentApiUrl());
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", DLQ);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        config.put("kochava.endpoint", kochava.baseUrl() + TRACK);
        // WireMock listens on loopback: a stand-in, allowed explicitly.
        config.put("kochava.allow-private-addresses", "true");
        config.put("delivery.max-retry-time", "120000");
        config.put("delivery.retry.initial-backoff", "100");
        config.put("delivery.retry.max-backoff", "1000");
        return config;
    }

    private void produce(Map<String, Object> serdeConfigs, List<Engagement> engagements) throws Exception {
        try (SpecificAvroSerde<Engagement> serde = SpecificAvroSerde.of(Engagement.class, serdeConfigs, false);
                KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            for (Engagement engagement : engagements) {
                producer.send(new ProducerRecord<>(
                        TOPIC,
                        engagement.getFbUserId().getBytes(StandardCharsets.UTF_8),
                        serde.serializer().serialize(TOPIC, engagement)));
            }
            producer.flush();
        }
    }

    private long responses(int status) {
        return kochava.getAllServeEvents().stream()
                .filter(event -> status(event) == status)
                .count();
    }

    private Set<String> deliveredEventNames() {
        return kochava.getAllServeEvents().stream()
                .filter(event -> status(event) == 200)
                .map(event -> eventName(event.getRequest().getBodyAsString()))
                .collect(Collectors.toSet());
    }

    private boolean sinkGroupSettled() throws Exception {
        try (Admin admin = connect.kafka().createAdminClient()) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP))
                    .describedGroups()
                    .get(GROUP)
                    .get();
            int assigned = group.members().stream()
                    .mapToInt(member -> member.assignment().topicPartitions().size())
                    .sum();
            return group.groupState() == GroupState.STABLE && group.members().size() == TASKS && assigned == PARTITIONS;
        }
    }

    private long committedTotal() throws Exception {
        return committedTotal(GROUP);
    }

    private long committedTotal(String group) throws Exception {
        try (Admin admin = connect.kafka().createAdminClient()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            return offsets.values().stream()
                    .mapToLong(OffsetAndMetadata::offset)
                    .sum();
        }
    }

    private static int status(ServeEvent event) {
        return event.getResponse().getStatus();
    }

    private static String eventName(String body) {
        try {
            JsonNode json = JSON.readTree(body);
            return json.path("data").path("event_name").asText();
        } catch (Exception e) {
            throw new IllegalStateException("Not JSON: " + body, e);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
