package io.kobot.kochava;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.kobot.schema.DeliveryOutcome;
import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;
import io.kobot.schema.InteractionType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KochavaDelivererTest {

    private static final String TRACK = "/track/json";
    private static final String IDENTITY_LINK = "/v1/cpi/identityLink.php";
    private static final String OK = "{\"success\":\"1\"}";

    @RegisterExtension
    static final WireMockExtension KOCHAVA = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().containerThreads(40))
            .build();

    private final AtomicDeliveryMetrics metrics = new AtomicDeliveryMetrics();
    private KochavaDeliverer deliverer;

    @AfterEach
    void close() {
        if (deliverer != null) deliverer.close(Duration.ofSeconds(2));
    }

    @Test
    void deliversAnEventWithTheExactBody() {
        KOCHAVA.stubFor(post(TRACK).willReturn(okJson(OK)));
        Engagement engagement = Engagements.event("i-1", "kobot-demo", "fb-1")
                .setDeviceIds(Map.of("fb_user_id", "fb-1", "kochava_device_id", "KD1"))
                .setEventData("{\"sum\":100}")
                .build();

        DeliveryResult result = deliver(deliverer(Map.of()), engagement);

        assertThat(result.outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.error()).isNull();
        assertThat(result.lastAttemptAt()).isAfterOrEqualTo(result.firstAttemptAt());
        KOCHAVA.verify(
                1,
                postRequestedFor(urlEqualTo(TRACK))
                        .withHeader("Content-Type", equalTo("application/json"))
                        // Answers are tiny: no compression offered (a header less per request).
                        .withoutHeader("Accept-Encoding")
                        .withRequestBody(equalTo("{\"kochava_app_id\":\"kobot-demo\",\"action\":\"event\","
                                + "\"kochava_device_id\":\"KD1\",\"data\":{\"device_ids\":{\"fb_user_id\":\"fb-1\","
                                + "\"kochava_device_id\":\"KD1\"},\"event_name\":\"Purchase\",\"event_data\":{\"sum\":100},"
                                + "\"usertime\":1700000000}}")));
        assertThat(metrics.requests()).isEqualTo(1);
        assertThat(metrics.successes()).isEqualTo(1);
        assertThat(metrics.inFlight()).isZero();
    }

    @Test
    void successZeroIsRejectedAfterOneAttempt() {
        KOCHAVA.stubFor(post(TRACK).willReturn(okJson("{\"success\":\"0\",\"error\":\"bad fb-1\"}")));

        DeliveryResult result = deliver(
                deliverer(Map.of()),
                Engagements.event("i-1", "kobot-demo", "fb-1").build());

        assertThat(result.outcome()).isEqualTo(DeliveryOutcome.REJECTED);
        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.error()).isEqualTo("success is not 1 (success is 0)");
        assertThat(metrics.permanentFailures()).isEqualTo(1);
    }

    @Test
    void badRequestIsRejectedAfterOneAttempt() {
        KOCHAVA.stubFor(post(TRACK).willReturn(status(400).withBody("invalid kochava_app_id")));

        DeliveryResult result = deliver(
                deliverer(Map.of()),
                Engagements.event("i-1", "kobot-demo", "fb-1").build());

        assertThat(result.outcome()).isEqualTo(DeliveryOutcome.REJECTED);
        assertThat(result.httpStatus()).isEqualTo(400);
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.error()).isEqualTo("HTTP 400");
        KOCHAVA.verify(1, postRequestedFor(urlEqualTo(TRACK)));
    }

    @Test
    void unavailableThenOkIsDeliveredAfterTwoAttempts() {
        KOCHAVA.stubFor(post(TRACK)
                .inScenario("outage")
                .whenScenarioStateIs(STARTED)
                .willReturn(status(503))
                .willSetStateTo("up"));
        KOCHAVA.stubFor(
                post(TRACK).inScenario("outage").whenScenarioStateIs("up").willReturn(okJson(OK)));

        DeliveryResult result = deliver(
                deliverer(Map.of()),
                Engagements.event("i-1", "kobot-demo", "fb-1").build());

        assertThat(result.outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(metrics.retries()).isEqualTo(1);
        assertThat(metrics.requests()).isEqualTo(2);
    }

    @Test
    void deliverEachCompletesEachEngagementOnItsOwnAndACancelledOneStopsRetrying() {
        KOCHAVA.stubFor(post(TRACK).atPriority(10).willReturn(okJson(OK)));
        KOCHAVA.stubFor(post(TRACK)
                .atPriority(1)
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("fb-down"))
                .willReturn(status(503)));
        List<CompletableFuture<DeliveryResult>> results = deliverer(Map.of("delivery.max-retry-time", "60000"))
                .deliverEach(List.of(
                        Engagements.event("i-1", "kobot-demo", "fb-1").build(),
                        Engagements.event("i-down", "kobot-demo", "fb-down").build(),
                        Engagements.event("i-3", "kobot-demo", "fb-3").build()));

        assertThat(results.get(0).orTimeout(5, TimeUnit.SECONDS).join().outcome())
                .isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(results.get(2).orTimeout(5, TimeUnit.SECONDS).join().outcome())
                .isEqualTo(DeliveryOutcome.DELIVERED);
        await().atMost(5, TimeUnit.SECONDS).until(() -> downRequests() >= 3);
        assertThat(results.get(1)).as("still retrying, apart from the others").isNotDone();

        results.get(1).cancel(false);
        int afterCancel = downRequests();
        // Retries are due every 100 ms at most: after a second, only the attempt already on the wire may have ended.
        await().pollDelay(Duration.ofSeconds(1)).atMost(2, TimeUnit.SECONDS).until(() -> true);
        assertThat(downRequests()).isLessThanOrEqualTo(afterCancel + 1);
    }

    private static int downRequests() {
        return KOCHAVA.findAll(postRequestedFor(urlEqualTo(TRACK))
                        .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("fb-down")))
                .size();
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() {
        KOCHAVA.stubFor(post(TRACK)
                .inScenario("throttle")
                .whenScenarioStateIs(STARTED)
                .willReturn(status(429).withHeader("Retry-After", "1"))
                .willSetStateTo("free"));
        KOCHAVA.stubFor(
                post(TRACK).inScenario("throttle").whenScenarioStateIs("free").willReturn(okJson(OK)));

        DeliveryResult result = deliver(
                deliverer(Map.of()),
                Engagements.event("i-1", "kobot-demo", "fb-1").build());

        assertThat(result.outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(result.attempts()).isEqualTo(2);
        List<Instant> received = receivedTimes(KOCHAVA.getAllServeEvents());
        assertThat(Duration.between(received.get(0), received.get(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void connectionResetIsRetried() {
        KOCHAVA.stubFor(post(TRACK)
                .inScenario("reset")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
                .willSetStateTo("fine"));
        KOCHAVA.stubFor(
                post(TRACK).inScenario("reset").whenScenarioStateIs("fine").willReturn(okJson(OK)));

        DeliveryResult result = deliver(
                deliverer(Map.of()),
                Engagements.event("i-1", "kobot-demo", "fb-1").build());

        assertThat(result.outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(result.attempts()).isEqualTo(2);
    }

    @Test
    void slowEndpointTimesOutUntilRetriesAreExhausted() {
        KOCHAVA.stubFor(post(TRACK).willReturn(okJson(OK).withFixedDelay(1_000)));
        KochavaDeliverer slow = deliverer(Map.of(
                "delivery.request-timeout", "200",
                "delivery.max-retry-time", "400"));

        DeliveryResult result =
                deliver(slow, Engagements.event("i-1", "kobot-demo", "fb-1").build());

        assertThat(result.outcome()).isEqualTo(DeliveryOutcome.RETRIES_EXHAUSTED);
        assertThat(result.httpStatus()).isNull();
        // The retry starts within 200 + 100 ms, before the 400 ms limit; a third could not.
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(result.error()).startsWith("timeout");
        assertThat(Duration.between(result.firstAttemptAt(), result.lastAttemptAt()))
                .isLessThan(Duration.ofMillis(900));
        assertThat(metrics.exhausted()).isEqualTo(1);
    }

    @Test
    void aPingCancelledWhileWaitingForASlotHandsTheSlotOnToTheNextPing() {
        KOCHAVA.stubFor(get(urlPathEqualTo("/slow")).willReturn(status(302).withFixedDelay(300)));
        KOCHAVA.stubFor(get(urlPathEqualTo("/click")).willReturn(status(302)));
        KochavaDeliverer oneAtATime = deliverer(Map.of("delivery.ping.max-in-flight", "1"));
        CompletableFuture<DeliveryResult> holding =
                oneAtATime.deliver(Engagements.ping(InteractionType.CLICK, KOCHAVA.baseUrl() + "/slow", "fb-1")
                        .build());
        CompletableFuture<DeliveryResult> cancelled =
                oneAtATime.deliver(Engagements.ping(InteractionType.CLICK, KOCHAVA.baseUrl() + "/click", "fb-2")
                        .build());
        assertThat(oneAtATime.queued()).isEqualTo(1);

        cancelled.cancel(false);

        assertThat(holding.orTimeout(5, TimeUnit.SECONDS).join().outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        // The cancelled ping's turn came and went: its slot is the next ping's, not a POST's.
        DeliveryResult next = deliver(
                oneAtATime,
                Engagements.ping(InteractionType.CLICK, KOCHAVA.baseUrl() + "/click", "fb-3")
                        .build());
        assertThat(next.outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        await().atMost(5, TimeUnit.SECONDS).until(() -> oneAtATime.inFlight() == 0);
        KOCHAVA.verify(0, getRequestedFor(urlPathEqualTo("/click")).withQueryParam("fb_user_id", equalTo("fb-2")));
    }

    @Test
    void pingAddsFbUserIdAndDoesNotFollowTheRedirect() {
        KOCHAVA.stubFor(get(urlPathEqualTo("/click"))
                .willReturn(status(302).withHeader("Location", KOCHAVA.baseUrl() + "/store")));
        KOCHAVA.stubFor(get(urlPathEqualTo("/store")).willReturn(ok("store")));
        Engagement click = Engagements.ping(InteractionType.CLICK, KOCHAVA.baseUrl() + "/click?creative=7", "fb 1")
                .build();

        DeliveryResult result = deliver(deliverer(Map.of()), click);

        assertThat(result.outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(result.httpStatus()).isEqualTo(302);
        KOCHAVA.verify(1, getRequestedFor(urlEqualTo("/click?creative=7&fb_user_id=fb%201")));
        KOCHAVA.verify(0, getRequestedFor(urlPathEqualTo("/store")));
    }

    @Test
    void invalidEngagementIsRejectedWithoutRequest() {
        Engagement noUrl =
                Engagements.ping(InteractionType.IMPRESSION, null, "fb-1").build();

        DeliveryResult result = deliver(deliverer(Map.of()), noUrl);

        assertThat(result.outcome()).isEqualTo(DeliveryOutcome.REJECTED);
        assertThat(result.attempts()).isZero();
        assertThat(result.httpStatus()).isNull();
        assertThat(result.error()).isEqualTo("IMPRESSION without tracking_url");
        assertThat(KOCHAVA.getAllServeEvents()).isEmpty();
    }

    @Test
    void neverMoreThanMaxInFlightConcurrentRequests() {
        int delayMs = 300;
        KOCHAVA.stubFor(post(TRACK).willReturn(okJson(OK).withFixedDelay(delayMs)));
        KochavaDeliverer limited = deliverer(Map.of("delivery.max-in-flight", "4"));

        List<CompletableFuture<DeliveryResult>> results = IntStream.range(0, 16)
                .mapToObj(i -> limited.deliver(
                        Engagements.event("i-" + i, "kobot-demo", "fb-" + i).build()))
                .toList();
        assertThat(limited.inFlight()).isEqualTo(4);
        assertThat(limited.queued()).isEqualTo(12);
        results.forEach(result -> assertThat(result.join().delivered()).isTrue());

        List<Instant> received = receivedTimes(KOCHAVA.getAllServeEvents());
        assertThat(received).hasSize(16);
        // A request ends at least delayMs after it arrived, and the fifth may start only when one ended.
        for (int i = 0; i + 4 < received.size(); i++)
            assertThat(Duration.between(received.get(i), received.get(i + 4)))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(delayMs - 20));
        // A slot is released just after its delivery's result is recorded.
        await().atMost(1, TimeUnit.SECONDS).until(() -> limited.inFlight() == 0);
    }

    @Test
    void rateLimitIsPerApp() {
        KOCHAVA.stubFor(post(TRACK).willReturn(okJson(OK)));
        KochavaDeliverer limited = deliverer(Map.of("delivery.rate-limit.per-app", "5"));

        Instant submitted = Instant.now();
        List<CompletableFuture<DeliveryResult>> noisy = IntStream.range(0, 10)
                .mapToObj(i -> limited.deliver(
                        Engagements.event("n-" + i, "noisy-app", "fb-" + i).build()))
                .toList();
        List<CompletableFuture<DeliveryResult>> quiet = IntStream.range(0, 2)
                .mapToObj(i -> limited.deliver(
                        Engagements.event("q-" + i, "quiet-app", "fb-" + i).build()))
                .toList();
        CompletableFuture.allOf(quiet.toArray(new CompletableFuture<?>[0])).join();
        Instant quietDone = Instant.now();
        CompletableFuture.allOf(noisy.toArray(new CompletableFuture<?>[0])).join();

        Map<String, List<Instant>> byApp = new HashMap<>();
        for (ServeEvent event : KOCHAVA.getAllServeEvents()) {
            String app = event.getRequest().getBodyAsString().contains("noisy-app") ? "noisy" : "quiet";
            byApp.computeIfAbsent(app, a -> new ArrayList<>())
                    .add(event.getRequest().getLoggedDate().toInstant());
        }
        List<Instant> noisyTimes = byApp.get("noisy").stream().sorted().toList();
        // A burst of 5, then one every 200 ms: the tenth sent no sooner than 1 s after they were submitted. Measured
        // from the submission, not from the first arrival: on a loaded machine the burst's connection can take a
        // few hundred ms to open, and the first arrival is that much late while the tenth is not.
        assertThat(Duration.between(submitted, noisyTimes.get(9))).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        // The quiet app did not queue behind the noisy one.
        assertThat(quietDone).isBefore(noisyTimes.get(9));
        assertThat(byApp.get("quiet")).hasSize(2);
    }

    @Test
    void arrayModeSendsEachAppsEventsInOnePost() {
        KOCHAVA.stubFor(post(TRACK).willReturn(okJson(OK)));
        KOCHAVA.stubFor(get(urlPathEqualTo("/imp")).willReturn(ok()));
        KochavaDeliverer arrays = deliverer(Map.of("kochava.body-mode", "array"));
        List<Engagement> batch = List.of(
                Engagements.event("a-1", "app-a", "fb-1").build(),
                Engagements.ping(InteractionType.IMPRESSION, KOCHAVA.baseUrl() + "/imp", "fb-2")
                        .build(),
                Engagements.event("b-1", "app-b", "fb-3").build(),
                Engagements.event("a-2", "app-a", "fb-4").build(),
                Engagements.event("bad", "app-a", "fb-5").setEventData("{").build());

        List<DeliveryResult> results = arrays.deliverAll(batch).join();

        assertThat(results)
                .extracting(DeliveryResult::outcome)
                .containsExactly(
                        DeliveryOutcome.DELIVERED,
                        DeliveryOutcome.DELIVERED,
                        DeliveryOutcome.DELIVERED,
                        DeliveryOutcome.DELIVERED,
                        DeliveryOutcome.REJECTED);
        assertThat(results.get(0)).isSameAs(results.get(3));
        List<String> bodies = KOCHAVA.findAll(postRequestedFor(urlEqualTo(TRACK))).stream()
                .map(LoggedRequest::getBodyAsString)
                .sorted()
                .toList();
        assertThat(bodies).hasSize(2);
        assertThat(bodies.get(0))
                .startsWith("[{\"kochava_app_id\":\"app-a\"")
                .contains("\"fb-1\"", "\"fb-4\"")
                .doesNotContain("fb-5")
                .endsWith("}]");
        assertThat(bodies.get(1)).startsWith("[{\"kochava_app_id\":\"app-b\"").endsWith("}]");
        KOCHAVA.verify(1, getRequestedFor(urlEqualTo("/imp?fb_user_id=fb-2")));
    }

    @Test
    void forwardsIdentityLinksToTheIdentityLinkEndpointWhenEnabled() {
        KOCHAVA.stubFor(post(IDENTITY_LINK).willReturn(okJson("{\"success\":1}")));
        IdentityLink link = IdentityLink.newBuilder()
                .setFbUserId("fb-1")
                .setDeviceIds(Map.of("kochava_device_id", "KD1"))
                .setUpdatedAt(Instant.EPOCH)
                .build();
        Map<String, String> forwarding = Map.of(
                "kochava.identity-link.forward", "true",
                "kochava.identity-link.default-app-id", "kobot-default",
                "kochava.identity-link.endpoint", KOCHAVA.baseUrl() + IDENTITY_LINK);

        DeliveryResult result =
                deliverer(forwarding).deliverIdentityLink("kobot-demo", link).join();

        assertThat(result.outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        KOCHAVA.verify(postRequestedFor(urlEqualTo(IDENTITY_LINK))
                .withRequestBody(equalTo("{\"kochava_app_id\":\"kobot-demo\","
                        + "\"device_id\":{\"kochava_device_id\":\"KD1\"},\"data\":{\"fb_userid\":\"fb-1\"}}")));
        KOCHAVA.verify(0, postRequestedFor(urlEqualTo(TRACK)));
        DeliveryResult unsendable = deliverer
                .deliverIdentityLink(
                        "kobot-demo",
                        IdentityLink.newBuilder(link).setDeviceIds(Map.of()).build())
                .join();
        assertThat(unsendable.outcome()).isEqualTo(DeliveryOutcome.REJECTED);
        assertThat(unsendable.attempts()).isZero();
        deliverer.close();
        deliverer = null;
        KochavaDeliverer off = deliverer(Map.of());
        assertThatThrownBy(() -> off.deliverIdentityLink("kobot-demo", link)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeDrainsRequestsInFlightAndAbortsWaitingRetries() {
        KOCHAVA.stubFor(post(TRACK).willReturn(okJson(OK).withFixedDelay(400)));
        KOCHAVA.stubFor(get(urlPathEqualTo("/down")).willReturn(status(503)));
        KochavaDeliverer closing =
                deliverer(Map.of("delivery.retry.initial-backoff", "5000", "delivery.retry.max-backoff", "5000"));
        CompletableFuture<DeliveryResult> slow =
                closing.deliver(Engagements.event("i-1", "kobot-demo", "fb-1").build());
        CompletableFuture<DeliveryResult> failing =
                closing.deliver(Engagements.ping(InteractionType.IMPRESSION, KOCHAVA.baseUrl() + "/down", "fb-2")
                        .build());
        await().atMost(2, TimeUnit.SECONDS).until(() -> metrics.retries() >= 1);

        closing.close(Duration.ofSeconds(2));

        assertThat(slow).isCompleted();
        assertThat(slow.join().outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThatThrownBy(failing::join)
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(DeliveryAbortedException.class);
        assertThatThrownBy(() -> closing.deliver(
                        Engagements.event("i-2", "kobot-demo", "fb-1").build()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeIsBoundedWhenARequestDoesNotEnd() {
        KOCHAVA.stubFor(post(TRACK).willReturn(okJson(OK).withFixedDelay(3_000)));
        KochavaDeliverer closing = deliverer(Map.of("delivery.request-timeout", "5000"));
        CompletableFuture<DeliveryResult> stuck =
                closing.deliver(Engagements.event("i-1", "kobot-demo", "fb-1").build());
        await().atMost(2, TimeUnit.SECONDS)
                .until(() -> KOCHAVA.getAllServeEvents().size() == 1);

        long start = System.nanoTime();
        closing.close(Duration.ofMillis(200));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_500));
        assertThatThrownBy(stuck::join).hasCauseInstanceOf(DeliveryAbortedException.class);
    }

    @Test
    void pendingBytesCountRequestBodiesUntilTheirDeliveriesEnd() {
        KOCHAVA.stubFor(post(TRACK).willReturn(okJson(OK).withFixedDelay(300)));
        KochavaDeliverer deliverer = deliverer(Map.of());

        List<CompletableFuture<DeliveryResult>> results = IntStream.range(0, 3)
                .mapToObj(i -> deliverer.deliver(
                        Engagements.event("i-" + i, "kobot-demo", "fb-" + i).build()))
                .toList();
        long pending = deliverer.pendingBytes();
        results.forEach(result -> assertThat(
                        result.orTimeout(10, TimeUnit.SECONDS).join().delivered())
                .isTrue());

        long sent = KOCHAVA.getAllServeEvents().stream()
                .mapToLong(event -> event.getRequest().getBodyAsString().length())
                .sum();
        assertThat(pending)
                .as("counted while the requests were in flight")
                .isEqualTo(sent)
                .isPositive();
        assertThat(deliverer.pendingBytes()).isZero();
    }

    @Test
    void pendingBytesOfAbortedDeliveriesAreReleased() {
        KOCHAVA.stubFor(post(TRACK).willReturn(status(503)));
        KochavaDeliverer closing = deliverer(Map.of("delivery.max-retry-time", "60000"));
        CompletableFuture<DeliveryResult> result =
                closing.deliver(Engagements.event("i-1", "kobot-demo", "fb-1").build());
        assertThat(closing.pendingBytes()).isPositive();

        closing.close(Duration.ofMillis(200));

        assertThatThrownBy(result::join).hasCauseInstanceOf(DeliveryAbortedException.class);
        assertThat(closing.pendingBytes()).isZero();
    }

    private KochavaDeliverer deliverer(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>(Map.of(
                "kochava.endpoint", KOCHAVA.baseUrl() + TRACK,
                // WireMock listens on loopback: a stand-in, allowed explicitly.
                "kochava.ping.allowed-hosts", "localhost",
                "kochava.allow-private-addresses", "true",
                "delivery.request-timeout", "2000",
                "delivery.connect-timeout", "1000",
                "delivery.max-retry-time", "5000",
                "delivery.retry.initial-backoff", "20",
                "delivery.retry.max-backoff", "100"));
        props.putAll(overrides);
        deliverer = new KochavaDeliverer(KochavaClientConfig.from(props), metrics);
        return deliverer;
    }

    private static DeliveryResult deliver(KochavaDeliverer deliverer, Engagement engagement) {
        return deliverer.deliver(engagement).orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static List<Instant> receivedTimes(List<ServeEvent> events) {
        return events.stream()
                .map(event -> event.getRequest().getLoggedDate().toInstant())
                .sorted(Comparator.naturalOrder())
                .toList();
    }
}
