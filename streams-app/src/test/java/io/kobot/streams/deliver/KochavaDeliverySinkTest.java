package io.kobot.streams.deliver;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.kobot.streams.deliver.DeliveryFixture.event;
import static io.kobot.streams.deliver.DeliveryFixture.ping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.kobot.kochava.KochavaClientConfig;
import io.kobot.kochava.KochavaDeliverer;
import io.kobot.registry.SchemaRegistryClients;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.DeliveryOutcome;
import io.kobot.schema.Engagement;
import io.kobot.schema.EngagementDelivery;
import io.kobot.schema.InteractionType;
import io.kobot.streams.topology.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The delivery sink in the whole topology (TopologyTestDriver) against a WireMock Kochava. */
class KochavaDeliverySinkTest {
    private static final String TRACK = "/track/json";
    private static final String OK = "{\"success\":\"1\"}";

    @RegisterExtension
    static final WireMockExtension KOCHAVA = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().containerThreads(60))
            .build();

    @TempDir
    Path stateDir;

    private final String scope = "delivery-test-" + UUID.randomUUID();
    private final Map<String, Object> registryConfig = Map.of("schema.registry.url", "mock://" + scope);
    private final DeliveryStatistics statistics = new DeliveryStatistics();
    private KochavaDeliverer deliverer;
    private DeliveryFixture fixture;

    @BeforeEach
    void okByDefault() {
        KOCHAVA.stubFor(post(TRACK).atPriority(10).willReturn(okJson(OK)));
        KOCHAVA.stubFor(get(urlPathMatching("/(click|imp)/.*"))
                .atPriority(10)
                .willReturn(status(302).withHeader("Location", "https://apps.example/store")));
    }

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
        if (deliverer != null) {
            deliverer.close(Duration.ofSeconds(1));
        }
        SchemaRegistryClients.dropMockScope(scope);
    }

    /** A driver with fast retries and {@code overrides} on top. */
    private DeliveryFixture start(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(Map.of(
                KochavaClientConfig.ENDPOINT,
                KOCHAVA.baseUrl() + TRACK,
                // WireMock listens on loopback: a stand-in, allowed explicitly.
                KochavaClientConfig.PING_ALLOWED_HOSTS,
                "localhost",
                KochavaClientConfig.ALLOW_PRIVATE_ADDRESSES,
                true,
                KochavaClientConfig.RETRY_INITIAL_BACKOFF,
                10,
                KochavaClientConfig.RETRY_MAX_BACKOFF,
                50,
                DeliverySettings.DRAIN_TIMEOUT,
                0));
        config.putAll(overrides);
        if (deliverer == null) {
            deliverer = new KochavaDeliverer(KochavaClientConfig.from(config), statistics);
        }
        fixture = new DeliveryFixture(stateDir, registryConfig, config, deliverer, statistics);
        return fixture;
    }

    /** The first POST is answered with {@code first}, every later one with success. */
    private static void answerFirstThenOk(ResponseDefinitionBuilder first) {
        KOCHAVA.stubFor(post(TRACK)
                .inScenario("first answer")
                .whenScenarioStateIs(STARTED)
                .willReturn(first)
                .willSetStateTo("ok"));
        KOCHAVA.stubFor(
                post(TRACK).inScenario("first answer").whenScenarioStateIs("ok").willReturn(okJson(OK)));
    }

    private static int posts() {
        return KOCHAVA.findAll(postRequestedFor(urlEqualTo(TRACK))).size();
    }

    @Test
    void aFullBatchIsSentWithoutWaitingForTheLinger() {
        DeliveryFixture sink =
                start(Map.of(DeliverySettings.BATCH_MAX_EVENTS, 3, DeliverySettings.BATCH_LINGER, 60_000));

        sink.pipe(event("e-1", "u-1").build());
        sink.pipe(event("e-2", "u-2").build());
        assertOnlyTheSentinelIsSent();
        sink.pipe(event("e-3", "u-3").build());

        await().atMost(10, TimeUnit.SECONDS).until(() -> posts() == 4);
        assertThat(sink.awaitDeliveries(3))
                .extracting(EngagementDelivery::getOutcome)
                .containsOnly(DeliveryOutcome.DELIVERED);
    }

    @Test
    void aSmallBatchIsSentOnceItsOldestHasLingered() {
        DeliveryFixture sink = start(Map.of(DeliverySettings.BATCH_MAX_EVENTS, 100, DeliverySettings.BATCH_LINGER, 50));

        sink.pipe(event("e-1", "u-1").build());
        sink.pipe(event("e-2", "u-2").build());
        assertOnlyTheSentinelIsSent(); // the wall clock has not moved
        sink.driver.advanceWallClockTime(Duration.ofMillis(60));

        await().atMost(10, TimeUnit.SECONDS).until(() -> posts() == 3);
        assertThat(sink.awaitDeliveries(2))
                .extracting(EngagementDelivery::getInteractionId)
                .containsExactlyInAnyOrder("e-1", "e-2");
        assertThat(sink.outboxKeys()).isEmpty();
        assertThat(statistics.outboxSize()).isZero();
        assertThat(statistics.pending()).isZero();
        assertThat(statistics.latency().count()).isEqualTo(2);
    }

    /**
     * Checks that the sink has sent nothing, after a sentinel has gone through the same client: a batch dispatched
     * earlier would have started its requests before the sentinel's, so once the sentinel is answered they would
     * be counted.
     */
    private void assertOnlyTheSentinelIsSent() {
        Instant now = Instant.now();
        Engagement sentinel = Engagement.newBuilder()
                .setInteractionId("sentinel")
                .setKochavaAppId("kobot-test")
                .setType(InteractionType.EVENT)
                .setFbUserId("sentinel-user")
                .setOccurredAt(now)
                .setEventName("Sentinel")
                .setDeviceIds(Map.of())
                .setIngestedAt(now)
                .build();
        assertThat(deliverer
                        .deliver(sentinel)
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join()
                        .delivered())
                .isTrue();
        assertThat(statistics.requests())
                .as("requests started, the sentinel's included")
                .isEqualTo(1);
        assertThat(posts()).isEqualTo(1);
    }

    @Test
    void unavailableThenOkIsOneDeliveryAfterTwoAttempts() {
        answerFirstThenOk(status(503));
        DeliveryFixture sink = start(Map.of(DeliverySettings.BATCH_LINGER, 0));

        sink.pipe(event("e-1", "u-1").build());

        EngagementDelivery delivery = single(sink.awaitDeliveries(1));
        assertThat(delivery.getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(delivery.getAttempts()).isEqualTo(2);
        assertThat(delivery.getHttpStatus()).isEqualTo(200);
        assertThat(delivery.getError()).isNull();
        assertThat(sink.deadLetters()).isEmpty();
        assertThat(statistics.retries()).isEqualTo(1);
        assertThat(sink.outboxKeys()).isEmpty();
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() {
        answerFirstThenOk(status(429).withHeader("Retry-After", "1"));
        DeliveryFixture sink = start(Map.of(DeliverySettings.BATCH_LINGER, 0));

        sink.pipe(event("e-1", "u-1").build());

        EngagementDelivery delivery = single(sink.awaitDeliveries(1));
        assertThat(delivery.getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(delivery.getAttempts()).isEqualTo(2);
        List<LoggedRequest> requests = KOCHAVA.findAll(postRequestedFor(urlEqualTo(TRACK)));
        assertThat(requests.get(1).getLoggedDate().getTime()
                        - requests.get(0).getLoggedDate().getTime())
                .as("ms between the attempts")
                .isGreaterThanOrEqualTo(900);
    }

    @Test
    void badRequestIsDeadLetteredAtOnceWithItsStatusButNotItsBody() {
        KOCHAVA.stubFor(post(TRACK).willReturn(status(400).withBody("invalid kochava_app_id")));
        DeliveryFixture sink = start(Map.of(DeliverySettings.BATCH_LINGER, 0));

        sink.pipe(event("e-1", "u-1").build());

        EngagementDelivery delivery = single(sink.awaitDeliveries(1));
        assertThat(delivery.getOutcome()).isEqualTo(DeliveryOutcome.REJECTED);
        assertThat(delivery.getHttpStatus()).isEqualTo(400);
        assertThat(delivery.getAttempts()).isEqualTo(1);
        DeadLetter deadLetter = single(sink.deadLetters());
        assertThat(deadLetter.getReasonCode()).isEqualTo("HTTP_REJECTED");
        assertThat(deadLetter.getStage()).isEqualTo("deliver");
        assertThat(deadLetter.getHttpStatus()).isEqualTo(400);
        assertThat(deadLetter.getAttempts()).isEqualTo(1);
        // The body may echo personal data: only the status and a classification are kept.
        assertThat(deadLetter.getMessage()).isEqualTo("HTTP 400");
        assertThat(deadLetter.getInteractionId()).isEqualTo("e-1");
        assertThat(deadLetter.getKochavaAppId()).isEqualTo(DeliveryFixture.APP);
        assertThat(deadLetter.getOriginalKey()).isEqualTo(java.nio.ByteBuffer.wrap("u-1".getBytes()));
        Engagement original = SpecificAvroSerde.of(Engagement.class, registryConfig, false)
                .deserializer()
                .deserialize(TopicNames.DEFAULTS.engagements(), bytes(deadLetter.getOriginalValue()));
        assertThat(original.getInteractionId()).isEqualTo("e-1");
        assertThat(statistics.permanentFailures()).isEqualTo(1);
        assertThat(sink.outboxKeys()).isEmpty();
    }

    @Test
    void auditFailuresWritesTheAuditRecordsOfFailuresOnly() {
        KOCHAVA.stubFor(post(TRACK).withRequestBody(containing("\"u-bad\"")).willReturn(status(400)));
        DeliveryFixture sink = start(Map.of(DeliverySettings.BATCH_LINGER, 0, DeliverySettings.AUDIT, "failures"));

        sink.pipe(event("e-ok", "u-1").build());
        sink.pipe(event("e-bad", "u-bad").build());
        sink.awaitOutboxEmpty();

        assertThat(statistics.successes()).isEqualTo(1);
        assertThat(single(sink.deadLetters()).getInteractionId()).isEqualTo("e-bad");
        EngagementDelivery audit = single(sink.deliveries());
        assertThat(audit.getInteractionId()).isEqualTo("e-bad");
        assertThat(audit.getOutcome()).isEqualTo(DeliveryOutcome.REJECTED);
    }

    @Test
    void auditOffWritesNoAuditRecordButStillDeadLettersFailures() {
        KOCHAVA.stubFor(post(TRACK).withRequestBody(containing("\"u-bad\"")).willReturn(status(400)));
        DeliveryFixture sink = start(Map.of(DeliverySettings.BATCH_LINGER, 0, DeliverySettings.AUDIT, "off"));

        sink.pipe(event("e-ok", "u-1").build());
        sink.pipe(event("e-bad", "u-bad").build());
        sink.awaitOutboxEmpty();

        assertThat(statistics.successes()).isEqualTo(1);
        assertThat(statistics.permanentFailures()).isEqualTo(1);
        assertThat(single(sink.deadLetters()).getInteractionId()).isEqualTo("e-bad");
        assertThat(sink.deliveries()).isEmpty();
    }

    @Test
    void successZeroIsDeadLetteredAtOnce() {
        KOCHAVA.stubFor(post(TRACK).willReturn(okJson("{\"success\":\"0\",\"error\":\"unknown app\"}")));
        DeliveryFixture sink = start(Map.of(DeliverySettings.BATCH_LINGER, 0));

        sink.pipe(event("e-1", "u-1").build());

        EngagementDelivery delivery = single(sink.awaitDeliveries(1));
        assertThat(delivery.getOutcome()).isEqualTo(DeliveryOutcome.REJECTED);
        assertThat(delivery.getHttpStatus()).isEqualTo(200);
        DeadLetter deadLetter = single(sink.deadLetters());
        assertThat(deadLetter.getReasonCode()).isEqualTo("HTTP_REJECTED");
        assertThat(deadLetter.getHttpStatus()).isEqualTo(200);
        assertThat(deadLetter.getMessage()).isEqualTo("success is not 1 (success is 0)");
    }

    @Test
    void connectionResetIsRetried() {
        answerFirstThenOk(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        DeliveryFixture sink = start(Map.of(DeliverySettings.BATCH_LINGER, 0));

        sink.pipe(event("e-1", "u-1").build());

        EngagementDelivery delivery = single(sink.awaitDeliveries(1));
        assertThat(delivery.getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(delivery.getAttempts()).isEqualTo(2);
    }

    @Test
    void aSlowEndpointExhaustsRetriesIntoTheDeadLetterTopic() {
        KOCHAVA.stubFor(post(TRACK).willReturn(okJson(OK).withFixedDelay(2_000)));
        DeliveryFixture sink = start(Map.of(
                DeliverySettings.BATCH_LINGER,
                0,
                KochavaClientConfig.REQUEST_TIMEOUT,
                200,
                KochavaClientConfig.MAX_RETRY_TIME,
                300));

        sink.pipe(event("e-1", "u-1").build());

        EngagementDelivery delivery = single(sink.awaitDeliveries(1));
        assertThat(delivery.getOutcome()).isEqualTo(DeliveryOutcome.RETRIES_EXHAUSTED);
        assertThat(delivery.getHttpStatus()).isNull();
        assertThat(delivery.getAttempts()).isGreaterThanOrEqualTo(2);
        DeadLetter deadLetter = single(sink.deadLetters());
        assertThat(deadLetter.getReasonCode()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(deadLetter.getAttempts()).isEqualTo(delivery.getAttempts());
        assertThat(deadLetter.getMessage()).isNotBlank();
        assertThat(statistics.retriesExhausted()).isEqualTo(1);
    }

    @Test
    void sendsTheExactEventBodyAndPingUrls() {
        String clickUrl = KOCHAVA.baseUrl() + "/click/abc123?creative=greeting";
        String impressionUrl = KOCHAVA.baseUrl() + "/imp/xyz";
        DeliveryFixture sink = start(Map.of(DeliverySettings.BATCH_LINGER, 0));

        sink.pipe(event("e-1", "u-1")
                .setDeviceIds(Map.of("adid", "A-1"))
                .setOriginationIp("203.0.113.7")
                .build());
        sink.pipe(ping(InteractionType.CLICK, "c-1", "u 2", clickUrl).build());
        sink.pipe(ping(InteractionType.IMPRESSION, "i-1", null, impressionUrl).build());

        assertThat(sink.awaitDeliveries(3))
                .extracting(EngagementDelivery::getOutcome)
                .containsOnly(DeliveryOutcome.DELIVERED);
        KOCHAVA.verify(
                1,
                postRequestedFor(urlEqualTo(TRACK))
                        .withHeader("Content-Type", equalTo("application/json"))
                        .withRequestBody(equalTo("{\"kochava_app_id\":\"kobot-demo-1a2b3c\",\"action\":\"event\","
                                + "\"data\":{\"device_ids\":{\"fb_user_id\":\"u-1\",\"adid\":\"A-1\"},"
                                + "\"event_name\":\"Purchase\",\"event_data\":{\"currency\":\"USD\",\"sum\":100},"
                                + "\"usertime\":" + DeliveryFixture.OCCURRED.getEpochSecond()
                                + ",\"origination_ip\":\"203.0.113.7\"}}")));
        KOCHAVA.verify(1, getRequestedFor(urlEqualTo("/click/abc123?creative=greeting&fb_user_id=u%202")));
        KOCHAVA.verify(1, getRequestedFor(urlEqualTo("/imp/xyz")));
    }

    @Test
    void holdsAtMostMaxPendingInMemoryAndTheRestInTheOutbox() {
        KOCHAVA.stubFor(post(TRACK).willReturn(okJson(OK).withFixedDelay(1_000)));
        DeliveryFixture sink = start(Map.of(
                DeliverySettings.BATCH_MAX_EVENTS,
                5,
                DeliverySettings.MAX_PENDING,
                5,
                DeliverySettings.BATCH_LINGER,
                0));

        for (int i = 0; i < 20; i++) {
            sink.pipe(event("e-" + i, "u-" + i).build());
        }

        assertThat(statistics.pending()).isEqualTo(5);
        assertThat(sink.outboxKeys()).hasSize(20);
        await().atMost(5, TimeUnit.SECONDS).until(() -> posts() == 5);
        assertThat(posts()).isEqualTo(5);
        List<EngagementDelivery> delivered = sink.awaitDeliveries(list -> {
            assertThat(statistics.pending()).isLessThanOrEqualTo(5);
            assertThat(posts()).isLessThanOrEqualTo(list.size() + 5);
            return list.size() == 20;
        });
        // Dispatched in input order, a batch at a time.
        assertThat(delivered.subList(0, 5))
                .extracting(EngagementDelivery::getInteractionId)
                .containsExactlyInAnyOrder("e-0", "e-1", "e-2", "e-3", "e-4");
        assertThat(sink.outboxKeys()).isEmpty();
        assertThat(statistics.outboxSize()).isZero();
        assertThat(posts()).isEqualTo(20);
    }

    @Test
    void aFullOutboxSlowsIntakeForAtMostMaxBlock() {
        KOCHAVA.stubFor(post(TRACK).willReturn(okJson(OK).withFixedDelay(3_000)));
        DeliveryFixture sink = start(Map.of(
                DeliverySettings.BATCH_MAX_EVENTS,
                1,
                DeliverySettings.MAX_PENDING,
                1,
                DeliverySettings.OUTBOX_MAX_SIZE,
                2,
                DeliverySettings.BACKPRESSURE_MAX_BLOCK,
                300));

        sink.pipe(event("e-1", "u-1").build());
        sink.pipe(event("e-2", "u-2").build());
        long start = System.nanoTime();
        sink.pipe(event("e-3", "u-3").build());
        long blockedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(blockedMs).isBetween(250L, 2_000L);
        assertThat(statistics.blockedTime()).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(sink.outboxKeys()).as("taken anyway: the limit is soft").hasSize(3);
        assertThat(sink.awaitDeliveries(3)).hasSize(3);
    }

    private static <T> T single(List<T> list) {
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
