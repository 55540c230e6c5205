package io.kobot.messenger.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kobot.messenger.config.ForwardKind;
import io.kobot.messenger.config.PageSettings;
import io.kobot.messenger.mapping.RejectedItem;
import io.kobot.messenger.mapping.WebhookMapper;
import io.kobot.messenger.publish.InteractionPublisher;
import io.kobot.messenger.publish.PublishFailedException;
import io.kobot.schema.BotInteraction;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook endpoint over real HTTP (HttpCore's server, the JDK's client), with a publisher that records what it
 * is given (the broker side is {@code MessengerWebhookIT}'s).
 */
class WebhookHandlerTest {
    private static final String SECRET = "app-secret-for-tests";
    private static final String TOKEN = "verify-token-for-tests";
    private static final String PAGE = "104729384756";
    private static final int MAX_BODY = 4096;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final WebhookSignature signature = new WebhookSignature(SECRET);
    private final HttpClient http = HttpClient.newHttpClient();
    private HttpEndpoint endpoint;

    @BeforeEach
    void start() throws IOException {
        PageSettings page = new PageSettings(
                PAGE,
                "kobot-app",
                "https://imp.control.kochava.com/track/impression?c=1",
                "https://smart.link/x",
                EnumSet.allOf(ForwardKind.class),
                false);
        WebhookHandler handler = new WebhookHandler(
                signature,
                new VerifyToken(TOKEN),
                new WebhookMapper(Map.of(PAGE, page)),
                publisher,
                new IntakeMetrics(registry),
                MAX_BODY);
        endpoint = HttpEndpoint.start(0, "/webhook", handler, 64);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + endpoint.port() + pathAndQuery);
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(byte[] body, String signatureHeader) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/webhook"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signatureHeader != null) {
            request.header(WebhookSignature.HEADER, signatureHeader);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] webhook(String file) throws IOException {
        try (InputStream in = WebhookHandlerTest.class.getResourceAsStream("/webhooks/" + file)) {
            return in.readAllBytes();
        }
    }

    private String metrics() {
        return registry.scrape();
    }

    @Test
    void answersTheVerificationHandshake() throws Exception {
        HttpResponse<String> ok =
                get("/webhook?hub.mode=subscribe&hub.verify_token=" + TOKEN + "&hub.challenge=1158201444");
        HttpResponse<String> wrongToken =
                get("/webhook?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444");
        HttpResponse<String> wrongMode = get("/webhook?hub.mode=other&hub.verify_token=" + TOKEN + "&hub.challenge=1");
        HttpResponse<String> nothing = get("/webhook");

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("1158201444");
        assertThat(ok.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(List.of(wrongToken.statusCode(), wrongMode.statusCode(), nothing.statusCode()))
                .containsOnly(403);
        assertThat(wrongToken.body()).doesNotContain("1158201444");
        assertThat(metrics())
                .contains("kobot_messenger_requests_total{outcome=\"verified\"} 1.0")
                .contains("kobot_messenger_requests_total{outcome=\"verification-refused\"} 3.0");
    }

    @Test
    void aSignedPostIsPublishedThenAnswered200() throws Exception {
        byte[] body = webhook("delivery.json");

        HttpResponse<String> response = post(body, signature.sign(body));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(publisher.published).hasSize(3);
        assertThat(metrics())
                .contains("kobot_messenger_requests_total{outcome=\"published\"} 1.0")
                .contains("kobot_messenger_items_total{mapping=\"impression\"} 3.0")
                .contains("kobot_messenger_records_published_total 3.0");
    }

    @Test
    void unsignedOrForgedPostsAre403AndPublishNothing() throws Exception {
        byte[] body = webhook("message-text.json");
        byte[] forged = new String(body, StandardCharsets.UTF_8)
                .replace("hello", "HELLO")
                .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> missing = post(body, null);
        HttpResponse<String> wrongPrefix = post(body, signature.sign(body).replace("sha256=", "sha1="));
        HttpResponse<String> changed = post(forged, signature.sign(body));
        HttpResponse<String> otherSecret = post(body, new WebhookSignature("not-the-secret").sign(body));

        assertThat(List.of(missing, wrongPrefix, changed, otherSecret))
                .extracting(HttpResponse::statusCode)
                .containsOnly(403);
        assertThat(publisher.calls).isZero();
        assertThat(metrics())
                .contains("kobot_messenger_signature_failures_total{reason=\"missing\"} 1.0")
                .contains("kobot_messenger_signature_failures_total{reason=\"wrong-algorithm\"} 1.0")
                .contains("kobot_messenger_signature_failures_total{reason=\"mismatch\"} 2.0")
                .contains("kobot_messenger_requests_total{outcome=\"signature-refused\"} 4.0");
    }

    @Test
    void aBodyOverTheCapIs413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        byte[] large = ("{\"object\":\"page\",\"entry\":[],\"pad\":\"" + "x".repeat(MAX_BODY) + "\"}")
                .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> declared = post(large, signature.sign(large));
        HttpResponse<String> chunked = http.send(
                HttpRequest.newBuilder(uri("/webhook"))
                        .header(WebhookSignature.HEADER, signature.sign(large))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(publisher.calls).isZero();
        assertThat(metrics()).contains("kobot_messenger_requests_total{outcome=\"too-large\"} 2.0");
    }

    @Test
    void aSignedBodyThatIsNotAWebhookIs400() throws Exception {
        byte[] notJson = "{\"object\":\"page\",\"entry\":[".getBytes(StandardCharsets.UTF_8);
        byte[] notAWebhook = "[1,2,3]".getBytes(StandardCharsets.UTF_8);

        assertThat(post(notJson, signature.sign(notJson)).statusCode()).isEqualTo(400);
        assertThat(post(notAWebhook, signature.sign(notAWebhook)).statusCode()).isEqualTo(400);
        assertThat(publisher.calls).isZero();
    }

    @Test
    void aRequestThatMapsToNothingIs200WithoutPublishing() throws Exception {
        byte[] echo = webhook("echo.json");

        HttpResponse<String> response = post(echo, signature.sign(echo));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(publisher.calls).isZero();
        assertThat(metrics())
                .contains("kobot_messenger_requests_total{outcome=\"nothing-to-publish\"} 1.0")
                .contains("kobot_messenger_items_total{mapping=\"ignored-echo\"} 1.0");
    }

    @Test
    void aPublishFailureIs503AndCountsNoItems() throws Exception {
        publisher.failing = true;
        byte[] body = webhook("postback.json");

        HttpResponse<String> response = post(body, signature.sign(body));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(metrics())
                .contains("kobot_messenger_requests_total{outcome=\"publish-failed\"} 1.0")
                .contains("kobot_messenger_items_total{mapping=\"event\"} 0.0");
    }

    @Test
    void otherMethodsAndPathsAreRefused() throws Exception {
        HttpResponse<String> put = http.send(
                HttpRequest.newBuilder(uri("/webhook"))
                        .PUT(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(get("/other").statusCode()).isEqualTo(404);
    }

    @Test
    void closingLetsARequestInFlightBeAnsweredAndDoesNotWaitForIdleConnections() throws Exception {
        byte[] body = webhook("postback.json");
        assertThat(post(body, signature.sign(body)).statusCode()).isEqualTo(200); // leaves an idle connection
        publisher.hold = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
                HttpRequest.newBuilder(uri("/webhook"))
                        .header(WebhookSignature.HEADER, signature.sign(body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> publisher.calls == 2);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> endpoint.close(Duration.ofSeconds(10)));
        int port = endpoint.port();
        await().atMost(Duration.ofSeconds(10)).until(() -> refusesConnections(port)); // closing has begun
        // ... and it holds while the request is in flight.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !closing.isDone());
        publisher.hold.countDown();

        assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        long start = System.nanoTime();
        closing.get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    private static boolean refusesConnections(int port) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static final class RecordingPublisher implements InteractionPublisher {
        final List<BotInteraction> published = new CopyOnWriteArrayList<>();
        final List<RejectedItem> deadLettered = new CopyOnWriteArrayList<>();
        volatile int calls;
        volatile boolean failing;
        volatile CountDownLatch hold;

        @Override
        public void publishAll(List<BotInteraction> interactions, List<RejectedItem> rejected)
                throws PublishFailedException {
            calls++;
            CountDownLatch latch = hold;
            if (latch != null) {
                // Waits as the real publisher does: through the interrupts of a shutting-down server.
                boolean released = false;
                while (!released) {
                    try {
                        released = latch.await(10, TimeUnit.SECONDS);
                        if (!released) {
                            throw new PublishFailedException("held too long", null);
                        }
                    } catch (InterruptedException e) {
                        // keep waiting
                    }
                }
            }
            if (failing) {
                throw new PublishFailedException("broker down", null);
            }
            published.addAll(interactions);
            deadLettered.addAll(rejected);
        }

        @Override
        public void close() {}
    }
}
