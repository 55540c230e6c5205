package io.kobot.kochava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kobot.schema.Engagement;
import io.kobot.schema.InteractionType;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many connections the client opens at once ({@code delivery.max-opening-connections}), against a TLS server
 * that waits before each handshake, so that every open lasts long enough to be counted.
 */
class KochavaClientConnectGateTest {

    private static H2TestServer.Tls tls;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void makeCertificate(@TempDir Path dir) {
        tls = H2TestServer.selfSigned(dir);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : closeables) closeable.close();
    }

    @Test
    void aBurstOfRequestsOpensNoMoreConnectionsAtOnceThanAllowedAndAllSucceed() throws Exception {
        SlowHandshakeServer server = server(200);
        KochavaClientConfig config = config(server, Map.of("delivery.max-opening-connections", "4"));
        KochavaClient client = client(config);

        List<AttemptResult> results = sendAll(client, config, 40);

        assertThat(results)
                .allSatisfy(result ->
                        assertThat(result.verdict()).as(result.detail()).isEqualTo(AttemptResult.Verdict.SUCCESS));
        assertThat(server.requests()).isEqualTo(40);
        // Each request but the first few took a connection of its own (HTTP/1.1: one request per connection).
        assertThat(server.accepted()).isGreaterThan(20);
        // Without the gate, the burst opens them all at once (28 in the run that checked it).
        assertThat(server.mostWaitingForHandshake()).isEqualTo(4);
        assertThat(opening(client)).isZero();
        assertThat(waitingToOpen(client)).isZero();
    }

    @Test
    void opensCutByTheDeadlineWhileQueuedOrInProgressGiveTheirSlotBack() throws Exception {
        SlowHandshakeServer server = server(0);
        KochavaClientConfig config = config(
                server,
                Map.of(
                        "delivery.max-opening-connections", "1",
                        "delivery.request-timeout", "3000",
                        "delivery.connect-timeout", "10000"));
        KochavaClient client = client(config);
        // One connection in the pool, and the route known to speak HTTP/1.1: further requests open their own at once.
        assertThat(sendAll(client, config, 1).get(0).verdict()).isEqualTo(AttemptResult.Verdict.SUCCESS);
        // (The answer is handed over just before its connection goes back to the pool.)
        await().atMost(Duration.ofSeconds(5))
                .until(() -> client.connections(KochavaRequest.Kind.EVENT).getAvailable() == 1);

        server.handshakeDelay(5_000);
        server.answerDelay(1_000);
        List<CompletableFuture<AttemptResult>> burst = send(client, config, 4);
        // One takes the pooled connection (and holds it for its answer); of the three that open one, one is opening,
        // two wait at the gate.
        await().atMost(Duration.ofMillis(1_500)).until(() -> opening(client) == 1 && waitingToOpen(client) == 2);
        List<AttemptResult> results = results(burst);

        assertThat(results)
                .filteredOn(result -> result.verdict() == AttemptResult.Verdict.SUCCESS)
                .hasSize(1);
        assertThat(results)
                .filteredOn(result -> result.verdict() != AttemptResult.Verdict.SUCCESS)
                .hasSize(3)
                .allSatisfy(result -> assertThat(result.detail()).startsWith("timeout"));
        await().atMost(Duration.ofSeconds(5)).until(() -> opening(client) == 0 && waitingToOpen(client) == 0);
        // Had a cut open kept the only slot, the request that needs a new connection would wait past its deadline.
        server.handshakeDelay(0);
        server.answerDelay(0);
        assertThat(sendAll(client, config, 2))
                .allSatisfy(result ->
                        assertThat(result.verdict()).as(result.detail()).isEqualTo(AttemptResult.Verdict.SUCCESS));
    }

    @Test
    void theConnectionCountsTellConnectionsBeingOpenedWaitingToBeAndPooled() throws Exception {
        SlowHandshakeServer server = server(0);
        KochavaClientConfig config = config(server, Map.of("delivery.max-opening-connections", "2"));
        KochavaClient client = client(config);
        assertThat(client.connectionCounts(KochavaRequest.Kind.EVENT)).isEqualTo(new ConnectionCounts(0, 0, 0, 0));
        // One connection in the pool, and the route known to speak HTTP/1.1: further requests open their own at once.
        assertThat(sendAll(client, config, 1).get(0).verdict()).isEqualTo(AttemptResult.Verdict.SUCCESS);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(client.connectionCounts(KochavaRequest.Kind.EVENT))
                        .isEqualTo(new ConnectionCounts(0, 1, 0, 0)));

        server.handshakeDelay(3_000);
        server.answerDelay(4_000);
        List<CompletableFuture<AttemptResult>> burst = send(client, config, 5);
        // Every request leases a connection: the pooled one, and four new ones, two being opened and two waiting.
        await().atMost(Duration.ofMillis(2_500))
                .untilAsserted(() -> assertThat(client.connectionCounts(KochavaRequest.Kind.EVENT))
                        .isEqualTo(new ConnectionCounts(5, 0, 2, 2)));
        assertThat(results(burst))
                .allSatisfy(result ->
                        assertThat(result.verdict()).as(result.detail()).isEqualTo(AttemptResult.Verdict.SUCCESS));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(client.connectionCounts(KochavaRequest.Kind.EVENT))
                        .isEqualTo(new ConnectionCounts(0, 5, 0, 0)));
        assertThat(client.connectionCounts(KochavaRequest.Kind.PING)).isEqualTo(new ConnectionCounts(0, 0, 0, 0));
    }

    @Test
    void refusedConnectsGiveTheirSlotBackAtOnce() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        KochavaClientConfig config = config(
                "https://localhost:" + closedPort + "/track/json",
                Map.of("delivery.max-opening-connections", "1", "delivery.request-timeout", "5000"));
        KochavaClient client = client(config);

        // Five opens, one after the other through one slot: had a failed open kept it, the next would wait for its
        // deadline.
        List<AttemptResult> results = sendAll(client, config, 5);

        assertThat(results).allSatisfy(result -> {
            assertThat(result.verdict()).isEqualTo(AttemptResult.Verdict.TRANSIENT);
            assertThat(result.detail()).doesNotStartWith("timeout");
        });
        assertThat(opening(client)).isZero();
        assertThat(waitingToOpen(client)).isZero();
    }

    @Test
    void aHostSlowToConnectToHoldsUpNoPingToAnotherHost() throws Exception {
        SlowHandshakeServer slow = server(0);
        SlowHandshakeServer prompt = server(0);
        KochavaClientConfig config = config(
                prompt, Map.of("delivery.max-opening-connections", "2", "kochava.ping.allowed-hosts", "localhost"));
        KochavaClient client = client(config);
        // One connection to the slow host in the pool, and its route known to speak HTTP/1.1: further pings to it
        // open their own at once.
        assertThat(results(pings(client, config, slow, 1)).get(0).verdict()).isEqualTo(AttemptResult.Verdict.SUCCESS);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> client.connections(KochavaRequest.Kind.PING).getAvailable() == 1);

        // Four more pings to it, now slow to connect to: one takes the pooled connection (and holds it while its
        // answer is delayed); of the three that open one, two are being opened (the bound) and one waits its turn.
        slow.handshakeDelay(6_000);
        slow.answerDelay(2_000);
        List<CompletableFuture<AttemptResult>> toSlow = pings(client, config, slow, 4);
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            ConnectionCounts counts = client.connectionCounts(KochavaRequest.Kind.PING);
            assertThat(counts.opening()).isEqualTo(2);
            assertThat(counts.waitingToOpen()).isEqualTo(1);
        });
        long start = System.nanoTime();
        List<AttemptResult> toPrompt = results(pings(client, config, prompt, 3));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(toPrompt)
                .allSatisfy(result ->
                        assertThat(result.verdict()).as(result.detail()).isEqualTo(AttemptResult.Verdict.SUCCESS));
        // Through one gate for both hosts they would wait for the slow host's handshakes (6 s each, two at a time).
        assertThat(took).isLessThan(Duration.ofSeconds(4));
        assertThat(toSlow.stream().filter(CompletableFuture::isDone)).hasSizeLessThanOrEqualTo(1);
        assertThat(results(toSlow))
                .allSatisfy(result ->
                        assertThat(result.verdict()).as(result.detail()).isEqualTo(AttemptResult.Verdict.SUCCESS));
        assertThat(slow.mostWaitingForHandshake()).isEqualTo(2);
    }

    private static int opening(KochavaClient client) {
        return client.connectionCounts(KochavaRequest.Kind.EVENT).opening();
    }

    private static int waitingToOpen(KochavaClient client) {
        return client.connectionCounts(KochavaRequest.Kind.EVENT).waitingToOpen();
    }

    private SlowHandshakeServer server(long handshakeDelayMillis) throws Exception {
        SlowHandshakeServer server = new SlowHandshakeServer(tls.server(), handshakeDelayMillis);
        closeables.add(server);
        return server;
    }

    private KochavaClient client(KochavaClientConfig config) {
        KochavaClient client = new KochavaClient(config, Clock.systemUTC(), new LoopbackResolver(), tls.client());
        closeables.add(0, client::closeNow);
        return client;
    }

    private static List<AttemptResult> sendAll(KochavaClient client, KochavaClientConfig config, int count)
            throws Exception {
        return results(send(client, config, count));
    }

    /** Event POSTs to the endpoint. */
    private static List<CompletableFuture<AttemptResult>> send(
            KochavaClient client, KochavaClientConfig config, int count) {
        return send(client, config, count, i -> Engagements.event("i-" + i, "app", "fb-" + i));
    }

    /** Impression pings to {@code to}, a host of the ping pool's own. */
    private static List<CompletableFuture<AttemptResult>> pings(
            KochavaClient client, KochavaClientConfig config, SlowHandshakeServer to, int count) {
        return send(
                client,
                config,
                count,
                i -> Engagements.ping(InteractionType.IMPRESSION, to.url("/impression?n=" + i), "fb-" + i));
    }

    private static List<CompletableFuture<AttemptResult>> send(
            KochavaClient client, KochavaClientConfig config, int count, IntFunction<Engagement.Builder> engagement) {
        KochavaRequests requests = new KochavaRequests(config);
        return IntStream.range(0, count)
                .mapToObj(i ->
                        client.send(requests.forEngagement(engagement.apply(i).build())))
                .toList();
    }

    private static List<AttemptResult> results(List<CompletableFuture<AttemptResult>> sent) throws Exception {
        List<AttemptResult> results = new ArrayList<>();
        for (CompletableFuture<AttemptResult> result : sent) results.add(result.get(60, TimeUnit.SECONDS));
        return results;
    }

    private static KochavaClientConfig config(SlowHandshakeServer server, Map<String, String> overrides) {
        return config(server.url("/track/json"), overrides);
    }

    /** HTTP/1.1 (one request per connection at a time), with time to spare for a loaded build machine. */
    private static KochavaClientConfig config(String endpoint, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>(Map.of(
                "kochava.endpoint", endpoint,
                "kochava.allow-private-addresses", "true",
                "delivery.http.version-policy", "http1",
                "delivery.max-connections", "64",
                "delivery.request-timeout", "30000",
                "delivery.connect-timeout", "30000"));
        props.putAll(overrides);
        return KochavaClientConfig.from(props);
    }
}
