package io.kobot.connect.kochava;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.storage.StringConverter;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refusals on a real embedded Connect worker with Connect's default offset.flush.interval.ms (60 s), so that only a
 * commit the task's restart makes can pass what was refused: one partition, one task, schemaless JSON values,
 * WireMock as Kochava.
 */
class KochavaSinkRefusalIT {

    private static final Logger log = LoggerFactory.getLogger(KochavaSinkRefusalIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String TOPIC = "bot.engagements.refusals";
    private static final String DLQ = TOPIC + ".dlq";
    private static final String CONNECTOR = "kochava-refusal-sink";
    private static final String GROUP = "connect-" + CONNECTOR;
    private static final String TRACK = "/track/json";
    private static final int RECORDS = 200;
    private static final Duration SLOW_ANSWER = Duration.ofSeconds(5);

    private ConnectStandIns standIns;
    private WireMockServer kochava;
    private EmbeddedConnectCluster connect;

    @BeforeEach
    void start() {
        standIns = new ConnectStandIns("kochava-refusal-it", Duration.ofSeconds(60));
        kochava = standIns.kochava;
        connect = standIns.connect;
        connect.kafka().createTopic(TOPIC, 1);
    }

    @AfterEach
    void stop() {
        if (standIns != null) standIns.close();
    }

    /** 25 of 200 refused (every 7th from index 3 to 171), spread over the partition. */
    private static boolean refused(int index) {
        return index % 7 == 3 && index < 175;
    }

    /**
     * The last 10, which Kochava answers slowly: still in flight when the task restarts. Offsets are committed up to
     * the lowest record not done, so a restart re-sends everything from the lowest in flight on; with the slow ones
     * at the tail, that is exactly what was in flight.
     */
    private static boolean slow(int index) {
        return index >= RECORDS - 10;
    }

    @Test
    void aRestartTwoSecondsAfterRefusalsReSendsOnlyWhatWasInFlight() throws Exception {
        kochava.stubFor(post(urlPathEqualTo(TRACK)).willReturn(okJson("{\"success\":\"1\"}")));
        kochava.stubFor(post(urlPathEqualTo(TRACK))
                .atPriority(1)
                .withRequestBody(matchingJsonPath("$.data.event_name", matching("Refused-.*")))
                .willReturn(aResponse().withStatus(400).withBody("{\"success\":\"0\",\"error\":\"invalid event\"}")));
        kochava.stubFor(post(urlPathEqualTo(TRACK))
                .atPriority(2)
                .withRequestBody(matchingJsonPath("$.data.event_name", matching("Slow-.*")))
                .willReturn(okJson("{\"success\":\"1\"}").withFixedDelay((int) SLOW_ANSWER.toMillis())));
        Set<String> refusedIds = ids(RECORDS, KochavaSinkRefusalIT::refused);
        Set<String> slowIds = ids(RECORDS, KochavaSinkRefusalIT::slow);
        assertThat(refusedIds).hasSize(25);

        produce(RECORDS, i -> refused(i) ? "Refused-" + i : slow(i) ? "Slow-" + i : "Event-" + i);
        Map<String, String> config = connectorConfig();
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", DLQ);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        // The stopping task does not wait for the slow answers: they are what was in flight.
        config.put("sink.stop-timeout", "500");
        connect.configureConnector(CONNECTOR, config);

        // WireMock journals a request when it arrives, before a delayed answer: all sent, the refusals answered.
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        answered(400) == refusedIds.size() && requestsById().size() == RECORDS);
        // The fault: 2 s after the last refusal, far inside offset.flush.interval.ms, while the slow tail is in
        // flight (answered only SLOW_ANSWER after it was sent).
        Thread.sleep(2_000);
        Set<String> inFlight = slowIds;
        connect.restartTask(CONNECTOR, 0);

        // The stopping task's last commit passed every refusal and stopped at the first record in flight.
        long firstInFlight = RECORDS - inFlight.size();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(committed()).isEqualTo(firstInFlight));
        // The new task reads on from there: it sends what was in flight again, and nothing before it.
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Map<String, Long> requests = requestsById();
            return inFlight.stream().allMatch(id -> requests.get(id) == 2);
        });
        Map<String, Long> requests = requestsById();
        Set<String> reSent = requests.entrySet().stream()
                .filter(entry -> entry.getValue() > 1)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        log.info(
                "Restarted 2 s after the refusals: {} of {} ids sent again ({} in flight at the restart), {} refused",
                reSent.size(),
                RECORDS,
                inFlight.size(),
                refusedIds.size());
        assertThat(reSent)
                .as("re-sent: at most the %d requests in flight at the restart", inFlight.size())
                .isSubsetOf(inFlight)
                .hasSizeLessThanOrEqualTo(inFlight.size());
        assertThat(requests).as("every record was sent").hasSize(RECORDS);
        assertThat(refusedIds)
                .allSatisfy(id -> assertThat(requests.get(id)).as(id).isEqualTo(1));

        List<ConsumerRecord<byte[], byte[]>> deadLetters = List.copyOf(
                StreamSupport.stream(connect.kafka().consumeAll(30_000, DLQ).spliterator(), false)
                        .toList());
        assertThat(deadLetters)
                .extracting(record -> deadLetterId(record.value()))
                .as("each refused record dead-lettered exactly once")
                .containsExactlyInAnyOrderElementsOf(refusedIds);
    }

    @Test
    void withoutADeadLetterQueueARefusalFailsTheTaskAtOnceAndIsNotCommitted() throws Exception {
        int records = 20;
        int refusedIndex = 7;
        kochava.stubFor(post(urlPathEqualTo(TRACK)).willReturn(okJson("{\"success\":\"1\"}")));
        // Answered last, so that the records before it are done when the task fails.
        kochava.stubFor(post(urlPathEqualTo(TRACK))
                .atPriority(1)
                .withRequestBody(matchingJsonPath("$.data.event_name", matching("Refused-.*")))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"success\":\"0\"}")
                        .withFixedDelay(500)));
        produce(records, i -> i == refusedIndex ? "Refused-" + i : "Event-" + i);

        long configured = System.nanoTime();
        connect.configureConnector(CONNECTOR, connectorConfig()); // errors.tolerance=none, no reporter

        // Without the prompt put() the task would only see the refusal at the next commit, 60 s later.
        await().atMost(Duration.ofSeconds(20)).until(() -> taskState().equals("FAILED"));
        double seconds = (System.nanoTime() - configured) / 1e9;
        assertThat(connect.connectorStatus(CONNECTOR).tasks().get(0).trace())
                .contains(TOPIC + "-0@" + refusedIndex)
                .contains("errors.tolerance=all");
        // The failing task's last commit stops at the refused record: a restart sends it, and what follows it,
        // again.
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(committed()).isEqualTo(refusedIndex));
        assertThat(answered(200)).isEqualTo(records - 1);
        log.info(
                "Without a dead letter queue the task failed {} s after it was configured, committed up to {}",
                String.format("%.1f", seconds),
                refusedIndex);
    }

    private Map<String, String> connectorConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", KochavaSinkConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topics", TOPIC);
        config.put("key.converter", StringConverter.class.getName());
        config.put("value.converter", JsonConverter.class.getName());
        config.put("value.converter.schemas.enable", "false");
        config.put("kochava.endpoint", kochava.baseUrl() + TRACK);
        config.put("kochava.allow-private-addresses", "true"); // WireMock listens on loopback
        return config;
    }

    private void produce(int records, Function<Integer, String> eventName) {
        for (int i = 0; i < records; i++) {
            String json = "{\"interaction_id\":\"" + id(i) + "\",\"kochava_app_id\":\"kobot-test-app\","
                    + "\"type\":\"EVENT\",\"fb_user_id\":\"fb-" + i + "\",\"occurred_at\":\"2026-03-01T12:00:00Z\","
                    + "\"event_name\":\"" + eventName.apply(i) + "\"}";
            connect.kafka().produce(TOPIC, 0, "fb-" + i, json);
        }
    }

    private static String id(int index) {
        return "refusal-" + index;
    }

    private static Set<String> ids(int records, IntPredicate which) {
        return IntStream.range(0, records)
                .filter(which)
                .mapToObj(KochavaSinkRefusalIT::id)
                .collect(Collectors.toSet());
    }

    private String taskState() {
        ConnectorStateInfo status = connect.connectorStatus(CONNECTOR);
        return status.tasks().isEmpty() ? "NONE" : status.tasks().get(0).state();
    }

    private long answered(int status) {
        return kochava.getAllServeEvents().stream()
                .filter(event -> event.getResponse().getStatus() == status)
                .count();
    }

    /** Requests WireMock received, by interaction id. */
    private Map<String, Long> requestsById() {
        return kochava.getAllServeEvents().stream()
                .map(ServeEvent::getRequest)
                .map(request -> requestId(request.getBody()))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private long committed() throws Exception {
        try (Admin admin = connect.kafka().createAdminClient()) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .get(new TopicPartition(TOPIC, 0));
            return offset == null ? -1 : offset.offset();
        }
    }

    /** A request carries no interaction id; the index in its event name names it. */
    private static String requestId(byte[] body) {
        try {
            String name = JSON.readTree(body).at("/data/event_name").asText();
            return id(Integer.parseInt(name.substring(name.indexOf('-') + 1)));
        } catch (Exception e) {
            throw new IllegalStateException("Not a Kochava event", e);
        }
    }

    /** A dead letter holds the original JSON value. */
    private static String deadLetterId(byte[] value) {
        try {
            return JSON.readTree(value).get("interaction_id").asText();
        } catch (Exception e) {
            throw new IllegalStateException("Not JSON", e);
        }
    }
}
