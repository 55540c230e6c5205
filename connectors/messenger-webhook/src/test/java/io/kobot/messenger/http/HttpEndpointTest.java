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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.core5.http.HttpStatus;
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

    /** HttpCore's classic server names its connection threads {@code HTTP-worker-N}. */
    private static long serverWorkers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("HTTP-worker"))
                .count();
    }
}
