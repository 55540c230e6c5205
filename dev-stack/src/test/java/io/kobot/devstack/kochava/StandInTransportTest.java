package io.kobot.devstack.kochava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.io.CloseMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in's transports: HTTP/2 by ALPN over TLS with the certificate it made at start (HttpClient 5, the
 * Kochava client's library), HTTP/1.1 over TLS, h2c with prior knowledge in plain text; the answer delay holds no
 * thread under HTTP/2 either.
 */
@Timeout(60)
class StandInTransportTest {

    @Test
    void servesHttp2ByAlpnOverTlsAndHoldsDelayedAnswersAtOnce() throws Exception {
        StandInOptions options = StandInOptions.defaults()
                .withTls(true)
                .withHttp(StandInOptions.Http.H2)
                .withoutRequestLog();
        try (KochavaStandIn standIn = KochavaStandIn.start(options);
                // HttpClient 5's HTTP/2 client: h2 by ALPN, every request a stream of one connection.
                CloseableHttpAsyncClient client = HttpAsyncClients.customHttp2()
                        .setTlsStrategy(ClientTlsStrategyBuilder.create()
                                .setSslContext(standIn.certificate().clientContext())
                                .buildAsync())
                        .build()) {
            client.start();
            PositionTally tally = new PositionTally(40, 40);
            standIn.countInto(tally);
            standIn.delayAnswers(Duration.ofSeconds(3));
            assertThat(standIn.baseUri().getScheme()).isEqualTo("https");

            long start = System.nanoTime();
            List<Future<SimpleHttpResponse>> answers = new ArrayList<>();
            for (int id = 0; id < 40; id++) {
                answers.add(client.execute(
                        SimpleRequestBuilder.post(standIn.endpoint())
                                .setBody(event(id), ContentType.APPLICATION_JSON)
                                .build(),
                        null));
            }
            for (Future<SimpleHttpResponse> answer : answers) {
                SimpleHttpResponse response = answer.get(30, TimeUnit.SECONDS);
                assertThat(response.getCode()).isEqualTo(200);
                assertThat(response.getVersion()).isEqualTo(HttpVersion.HTTP_2);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            // Every answer came 3 s late, and all 40 requests had arrived before the first answer was due: the
            // stand-in held them at once, the I/O thread free to read while the timer kept the answers.
            assertThat(millis).isGreaterThanOrEqualTo(2_990L);
            long firstArrival = Long.MAX_VALUE;
            long lastArrival = 0;
            for (int id = 0; id < 40; id++) {
                firstArrival = Math.min(firstArrival, tally.firstReceivedAt(id));
                lastArrival = Math.max(lastArrival, tally.firstReceivedAt(id));
            }
            assertThat(lastArrival - firstArrival).isLessThan(3_000L);
            assertThat(tally.distinct()).isEqualTo(40);
            assertThat(tally.lost()).isZero();
            assertThat(standIn.transport().http2Requests()).isEqualTo(40);
            assertThat(standIn.transport().http1Requests()).isZero();
            assertThat(standIn.transport().openConnections()).isEqualTo(1);

            client.close(CloseMode.GRACEFUL);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (standIn.transport().openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(standIn.transport().openConnections()).isZero();
            assertThat(standIn.transport().mostOpenConnections()).isEqualTo(1);
        }
    }

    @Test
    void servesHttp1OverTlsWhenHttp2IsNotOffered() throws Exception {
        StandInOptions options = StandInOptions.defaults().withTls(true);
        try (KochavaStandIn standIn = KochavaStandIn.start(options)) {
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_2)
                    .sslContext(standIn.certificate().clientContext())
                    .build();

            HttpResponse<String> answer = client.send(post(standIn, 7), HttpResponse.BodyHandlers.ofString());
            HttpResponse<Void> ping = client.send(
                    HttpRequest.newBuilder(URI.create(standIn.trackingUrl("8"))).build(),
                    HttpResponse.BodyHandlers.discarding());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(ping.statusCode()).isEqualTo(302);
            assertThat(standIn.transport().http1Requests()).isEqualTo(2);
            assertThat(standIn.transport().http2Requests()).isZero();
            assertThat(standIn.requests()).extracting(ReceivedRequest::status).containsExactly(200, 302);
        }
    }

    @Test
    void servesH2cWithPriorKnowledgeAloneInPlainText() throws Exception {
        StandInOptions options = StandInOptions.defaults().withHttp(StandInOptions.Http.H2);
        try (KochavaStandIn standIn = KochavaStandIn.start(options);
                CloseableHttpAsyncClient h2c = HttpAsyncClients.createHttp2Default()) {
            h2c.start();
            SimpleHttpResponse overH2c = h2c.execute(
                            SimpleRequestBuilder.post(standIn.endpoint())
                                    .setBody(event(1), ContentType.APPLICATION_JSON)
                                    .build(),
                            null)
                    .get(30, TimeUnit.SECONDS);
            HttpClient http1 =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            assertThat(standIn.baseUri().getScheme()).isEqualTo("http");
            assertThat(overH2c.getCode()).isEqualTo(200);
            assertThat(overH2c.getVersion()).isEqualTo(HttpVersion.HTTP_2);
            assertThatThrownBy(() -> http1.send(post(standIn, 2), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
            assertThat(standIn.transport().http2Requests()).isEqualTo(1);
            assertThat(standIn.transport().http1Requests()).isZero();
        }
    }

    @Test
    void writesATrustStoreThatHoldsItsCertificate(@TempDir Path dir) throws Exception {
        try (KochavaStandIn standIn =
                KochavaStandIn.start(StandInOptions.defaults().withTls(true))) {
            Path file = standIn.certificate().writeTrustStore(dir.resolve("trust.p12"));
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(file)) {
                trusted.load(in, "changeit".toCharArray());
            }
            assertThat(trusted.size()).isEqualTo(1);
            assertThat(trusted.isCertificateEntry(trusted.aliases().nextElement()))
                    .isTrue();
        }
    }

    @Test
    void mainTakesTlsAndTheHttpVersions() {
        StandInOptions options = KochavaStandIn.parse(new String[] {"--tls", "--http", "h2", "--port", "9443"});
        assertThat(options.tls()).isTrue();
        assertThat(options.http()).isEqualTo(StandInOptions.Http.H2);
        assertThat(options.port()).isEqualTo(9443);
        StandInOptions plain = KochavaStandIn.parse(new String[0]);
        assertThat(plain.tls()).isFalse();
        assertThat(plain.http()).isEqualTo(StandInOptions.Http.HTTP1);
    }

    private static HttpRequest post(KochavaStandIn standIn, int id) {
        return HttpRequest.newBuilder(standIn.endpoint())
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event(id)))
                .build();
    }

    private static String event(int id) {
        return "{\"kochava_app_id\":\"app-1\",\"action\":\"event\",\"data\":{\"device_ids\":{},"
                + "\"event_name\":\"Purchase\",\"event_data\":{\"id\":\"" + id + "\"}}}";
    }
}
