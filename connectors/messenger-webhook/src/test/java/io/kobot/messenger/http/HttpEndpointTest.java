package io.kobot.messenger.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.io.entity.EntityTemplate;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The endpoint's connection limit, against idle clients on real sockets. */
class HttpEndpointTest {
    private static final int LIMIT = 4;

    private final List<Socket> idle = new ArrayList<>();
    private HttpEndpoint endpoint;

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : idle) {
            socket.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @Test
    void idleConnectionsPastTheLimitTakeNoThreadAndWaitUntilOneCloses() throws Exception {
        endpoint = HttpEndpoint.start(
                0,
                "*",
                (request, response, context) -> {
                    response.setCode(HttpStatus.SC_OK);
                    response.setEntity(new StringEntity("ok"));
                },
                LIMIT);
        long workersBefore = serverWorkers();

        for (int i = 0; i < 40; i++) {
            idle.add(new Socket("127.0.0.1", endpoint.port()));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> endpoint.openConnections() == LIMIT);

        // A request past the limit is not served while every connection stays open...
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/"))
                .timeout(Duration.ofSeconds(1))
                .build();
        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        // ...and 40 clients did not cost 40 threads: one worker per accepted connection.
        assertThat(endpoint.openConnections()).isEqualTo(LIMIT);
        assertThat(serverWorkers() - workersBefore).isLessThanOrEqualTo(LIMIT);

        // Once the idle clients leave, the endpoint serves again.
        for (Socket socket : idle) {
            socket.close();
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(http.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/"))
                                                .timeout(Duration.ofSeconds(2))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode())
                        .isEqualTo(200));
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.openConnections() <= 1);
    }

    @Test
    void closingWaitsForAResponseTheServerIsStillWriting() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        endpoint = HttpEndpoint.start(
                0,
                "*",
                (request, response, context) -> {
                    response.setCode(HttpStatus.SC_OK);
                    // The handler returns at once; the server writes this after it, slowly.
                    response.setEntity(new EntityTemplate(-1, ContentType.TEXT_PLAIN, null, out -> {
                        out.write("first half, ".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        writing.countDown();
                        sleep(500);
                        out.write("second half".getBytes(StandardCharsets.UTF_8));
                    }));
                },
                LIMIT);
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();

        endpoint.close(Duration.ofSeconds(5));

        HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("first half, second half");
        endpoint = null;
    }

    /** Sleeps through interrupts, as the webhook's handler waits for the broker through a shutdown's interrupt. */
    private static void sleep(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean interrupted = false;
        while (System.nanoTime() < until) {
            try {
                TimeUnit.NANOSECONDS.sleep(until - System.nanoTime());
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** HttpCore's classic server names its connection threads {@code HTTP-worker-N}. */
    private static long serverWorkers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("HTTP-worker"))
                .count();
    }
}
