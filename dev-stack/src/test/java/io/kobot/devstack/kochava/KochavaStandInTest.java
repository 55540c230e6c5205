package io.kobot.devstack.kochava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// A stand-in that stops answering must fail its test, not hang the build.
@Timeout(60)
class KochavaStandInTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final InteractionTally tally = new InteractionTally();
    private KochavaStandIn standIn;

    @BeforeEach
    void start() {
        standIn = KochavaStandIn.start(StandInOptions.defaults().withEventIdField("fault_id"));
        standIn.countInto(tally);
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    @Test
    void answersEventsAndPingsAsKochavaAndCountsThemPerInteraction() throws Exception {
        HttpResponse<String> event = post(event("app-1", "a"));
        HttpResponse<String> batch = post("[" + event("app-1", "b") + "," + event("app-1", "a") + "]");
        HttpResponse<String> ping = get(standIn.trackingUrl("c/1"));
        HttpResponse<String> anonymous = post("{\"kochava_app_id\":\"app-1\"}");

        assertThat(event.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(event.body()).path("success").asText()).isEqualTo("1");
        assertThat(batch.statusCode()).isEqualTo(200);
        assertThat(ping.statusCode()).isEqualTo(302);
        assertThat(ping.headers().firstValue("Location")).hasValue(Responses.APP_STORE);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(tally.deliveries())
                .containsOnly(
                        java.util.Map.entry("a", 2L), java.util.Map.entry("b", 1L), java.util.Map.entry("c/1", 1L));
        assertThat(tally.duplicates()).isEqualTo(1);
        assertThat(tally.unattributedRequests()).isEqualTo(1);
        assertThat(tally.failedAnswers()).isZero();
        assertThat(tally.receipts()).extracting(InteractionTally.Receipt::id).containsExactly("a", "b", "a", "c/1");
        assertThat(tally.firstDeliveredAt()).containsOnlyKeys("a", "b", "c/1");
        assertThat(tally.peakPerSecond()).isBetween(1L, 4L);

        assertThat(standIn.requests()).hasSize(4);
        ReceivedRequest first = standIn.requests().get(0);
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).isEqualTo(KochavaStandIn.TRACK_PATH);
        assertThat(first.json().path("data").path("event_data").path("fault_id").asText())
                .isEqualTo("a");
        ReceivedRequest third = standIn.requests().get(2);
        assertThat(third.uri()).isEqualTo("/ping/c%2F1?campaign=stand-in");
        assertThat(third.json()).isNull();
        assertThat(third.status()).isEqualTo(302);
    }

    @Test
    void controlEndpointListsTheRequestsWithoutCountingItself() throws Exception {
        post(event("app-1", "a"));
        get(standIn.baseUri() + "t/x?campaign=demo");

        HttpResponse<String> health = get(standIn.baseUri() + "stand-in/health");
        HttpResponse<String> requests = get(standIn.baseUri() + "stand-in/requests");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(requests.statusCode()).isEqualTo(200);
        JsonNode array = MAPPER.readTree(requests.body());
        assertThat(array).hasSize(2);
        assertThat(array.get(0).path("method").asText()).isEqualTo("POST");
        assertThat(array.get(0).path("body").path("kochava_app_id").asText()).isEqualTo("app-1");
        assertThat(array.get(1).path("path").asText()).isEqualTo("/t/x");
        assertThat(array.get(1).path("query").asText()).isEqualTo("campaign=demo");
        assertThat(array.get(1).path("status").asInt()).isEqualTo(302);
        assertThat(tally.deliveries()).containsOnlyKeys("a", "x");
        assertThat(standIn.requests()).hasSize(2);
    }

    @Test
    void answersEveryRequestWithTheFaultSwitchedOnThenNormallyAgain() throws Exception {
        standIn.answerWith(Fault.serverError());
        assertThat(post(event("app-1", "a")).statusCode()).isEqualTo(503);
        assertThat(get(standIn.trackingUrl("p")).statusCode()).isEqualTo(503);

        standIn.answerWith(Fault.throttle(Duration.ofSeconds(7)));
        HttpResponse<String> throttled = post(event("app-1", "a"));
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("7");

        standIn.answerWith(Fault.redirect(URI.create("https://elsewhere.example/track")));
        HttpResponse<String> redirected = post(event("app-1", "a"));
        assertThat(redirected.statusCode()).isEqualTo(307);
        assertThat(redirected.headers().firstValue("Location")).hasValue("https://elsewhere.example/track");

        standIn.serve();
        assertThat(post(event("app-1", "a")).statusCode()).isEqualTo(200);
        assertThat(tally.failedAnswers()).isEqualTo(4);
        assertThat(tally.deliveries()).containsOnlyKeys("a");
        assertThat(tally.successfulAnswers()).isEqualTo(1);
    }

    @Test
    void rejectsOneAppAndFailsOneInteractionOnly() throws Exception {
        standIn.rejectApp("unknown-app");
        standIn.failInteraction("slow", Fault.serverError());

        HttpResponse<String> rejected = post(event("unknown-app", "a"));
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(rejected.body()).path("success").asText()).isEqualTo("0");
        assertThat(post(event("app-1", "slow")).statusCode()).isEqualTo(503);
        assertThat(get(standIn.trackingUrl("slow")).statusCode()).isEqualTo(503);
        assertThat(post(event("app-1", "b")).statusCode()).isEqualTo(200);

        standIn.stopFailing("slow");
        standIn.acceptApp("unknown-app");
        assertThat(post(event("app-1", "slow")).statusCode()).isEqualTo(200);
        assertThat(post(event("unknown-app", "a")).statusCode()).isEqualTo(200);
        assertThat(tally.failedAnswers()).isEqualTo(3);
        assertThat(tally.deliveries()).containsOnlyKeys("a", "b", "slow");
    }

    @Test
    void delaysEveryAnswerButCountsTheRequestWhenItArrives() throws Exception {
        standIn.delayAnswers(Duration.ofMillis(300));

        long start = System.nanoTime();
        HttpResponse<String> answer = post(event("app-1", "a"));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long answeredAtMillis = System.currentTimeMillis();

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(300);
        assertThat(tally.firstDeliveredAt().get("a")).isLessThanOrEqualTo(answeredAtMillis - 300);

        standIn.delayAnswers(Duration.ZERO);
        long again = System.nanoTime();
        assertThat(post(event("app-1", "b")).statusCode()).isEqualTo(200);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - again)).isLessThan(300);
    }

    @Test
    void refusesConnectionsThenServesAgainOnTheSamePort() throws Exception {
        int port = standIn.port();
        assertThat(post(event("app-1", "a")).statusCode()).isEqualTo(200);

        standIn.refuseConnections();
        assertThatThrownBy(() -> post(event("app-1", "b"))).isInstanceOf(ConnectException.class);

        standIn.serve();
        assertThat(standIn.port()).isEqualTo(port);
        assertThat(post(event("app-1", "b")).statusCode()).isEqualTo(200);
        assertThat(tally.deliveries()).containsOnlyKeys("a", "b");
    }

    @Test
    void tarPitSendsHeadersThenTricklesABodyThatNeverEnds() throws Exception {
        standIn.answerWith(Fault.tarPit(Duration.ofMillis(100)));

        // Timed from before the request: bytes that arrived while a loaded machine was still handing the headers over
        // are then counted in, not before the clock (it saw 246 ms once when timed from the headers).
        long start = System.nanoTime();
        HttpResponse<InputStream> answer = client.send(
                HttpRequest.newBuilder(standIn.endpoint())
                        .POST(HttpRequest.BodyPublishers.ofString(event("app-1", "a")))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = answer.body()) {
            assertThat(answer.statusCode()).isEqualTo(200);
            for (int i = 0; i < 5; i++) {
                assertThat(body.read()).isEqualTo(' ');
            }
        }
        // Five bytes, the first at once and then one per 100 ms: at least 400 ms, and the body had not ended.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(350);
        assertThat(tally.failedAnswers()).isEqualTo(1);
        assertThat(tally.deliveries()).isEmpty();
    }

    @Test
    void keepsNoRequestLogWhenToldNot() throws Exception {
        try (KochavaStandIn quiet =
                KochavaStandIn.start(StandInOptions.defaults().withoutRequestLog())) {
            PositionTally positions = new PositionTally(10, 3);
            quiet.countInto(positions);
            HttpResponse<String> answer = client.send(
                    HttpRequest.newBuilder(quiet.endpoint())
                            .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                            "[{\"data\":{\"event_data\":{\"id\":\"1\"}}},{\"data\":{\"event_data\":{\"id\":\"1\"}}}]"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            client.send(
                    HttpRequest.newBuilder(URI.create(quiet.trackingUrl("2"))).build(), discarding());
            client.send(
                    HttpRequest.newBuilder(URI.create(quiet.trackingUrl("42"))).build(), discarding());
            client.send(
                    HttpRequest.newBuilder(URI.create(quiet.trackingUrl("x"))).build(), discarding());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(quiet.requests()).isEmpty();
            assertThat(positions.distinct()).isEqualTo(2);
            assertThat(positions.duplicates()).isEqualTo(1);
            assertThat(positions.unknown()).isEqualTo(2);
            assertThat(positions.lost()).isEqualTo(1);
            assertThat(positions.firstReceivedAt(2)).isPositive();
            assertThat(positions.awaitAll(10, TimeUnit.MILLISECONDS)).isFalse();
        }
    }

    @Test
    void keepsIdentityLinkRequestsInTheDocumentedShapeApartFromEngagements() throws Exception {
        HttpResponse<String> accepted = post(
                standIn.identityLinkEndpoint(),
                "{\"kochava_app_id\":\"app-1\",\"device_id\":{\"adid\":\"A-1\"},\"data\":{\"fb_userid\":\"u-1\"}}");
        HttpResponse<String> noDevice = post(
                standIn.identityLinkEndpoint(),
                "{\"kochava_app_id\":\"app-1\",\"device_id\":{},\"data\":{\"fb_userid\":\"u-1\"}}");
        HttpResponse<String> engagementShape = post(standIn.identityLinkEndpoint(), event("app-1", "a"));
        standIn.answerWith(Fault.serverError());
        HttpResponse<String> faulted = post(
                standIn.identityLinkEndpoint(),
                "{\"kochava_app_id\":\"app-1\",\"device_id\":{\"adid\":\"A-2\"},\"data\":{\"fb_userid\":\"u-2\"}}");

        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(accepted.body()).path("success").asText()).isEqualTo("1");
        assertThat(noDevice.statusCode()).isEqualTo(400);
        assertThat(engagementShape.statusCode()).isEqualTo(400);
        assertThat(faulted.statusCode()).isEqualTo(503);
        assertThat(standIn.identityLinks()).singleElement().satisfies(link -> {
            assertThat(link.appId()).isEqualTo("app-1");
            assertThat(link.deviceIds()).containsExactly(java.util.Map.entry("adid", "A-1"));
            assertThat(link.data()).containsExactly(java.util.Map.entry("fb_userid", "u-1"));
        });
        assertThat(tally.deliveries())
                .as("identity links are not engagement receipts")
                .isEmpty();
    }

    @Test
    void mainTakesAPortAndAnEventIdField() {
        StandInOptions options = KochavaStandIn.parse(new String[] {"--port", "9090", "--event-id-field", "fault_id"});
        assertThat(options.port()).isEqualTo(9090);
        assertThat(options.eventIdField()).isEqualTo("fault_id");
        assertThat(options.bindAddress().isAnyLocalAddress()).isTrue();
        assertThat(KochavaStandIn.parse(new String[0]).port()).isEqualTo(8080);
        assertThatThrownBy(() -> KochavaStandIn.parse(new String[] {"--port", "x"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KochavaStandIn.parse(new String[] {"--port"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KochavaStandIn.parse(new String[] {"--verbose"}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String event(String appId, String id) {
        return "{\"kochava_app_id\":\"" + appId + "\",\"action\":\"event\",\"data\":{\"device_ids\":{},"
                + "\"event_name\":\"Purchase\",\"event_data\":{\"fault_id\":\"" + id + "\",\"sum\":1}}}";
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return post(standIn.endpoint(), body);
    }

    private HttpResponse<String> post(URI endpoint, String body) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(endpoint)
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String uri) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create(uri))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse.BodyHandler<Void> discarding() {
        return HttpResponse.BodyHandlers.discarding();
    }
}
