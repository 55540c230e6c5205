package io.kobot.kochava;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The manager in front of HttpClient's own pool, against HttpCore 5's HTTP/2 server (h2c, prior knowledge). */
class MultiplexingConnectionManagerTest {

    private H2TestServer server;
    private CloseableHttpAsyncClient client;

    @AfterEach
    void close() {
        if (client != null) client.close(CloseMode.GRACEFUL);
        if (server != null) server.close();
    }

    @Test
    void aRequestMadeWhileAnIdleConnectionGoesBackToThePoolWaitsForItRatherThanOpeningAnother() throws Exception {
        server = new H2TestServer(HttpVersionPolicy.FORCE_HTTP_2, null, 250);
        PoolReleasingLate pool = new PoolReleasingLate();
        client = HttpAsyncClients.custom()
                .setConnectionManager(new MultiplexingConnectionManager(pool, 1, 100, 1, Runnable::run))
                .disableAutomaticRetries()
                .build();
        client.start();
        // The next request is made in the very moment its connection is handed back to the pool, as when a caller
        // sends again at once (an answer is handed over just before its connection is released).
        CompletableFuture<SimpleHttpResponse> second = new CompletableFuture<>();
        pool.beforeRelease.set(() -> send("/second", second));

        CompletableFuture<SimpleHttpResponse> first = new CompletableFuture<>();
        send("/first", first);

        assertThat(first.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(200);
        assertThat(second.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(200);
        assertThat(server.served).hasSize(2);
        assertThat(server.protocols()).containsExactly(HttpVersion.HTTP_2);
        // The pool still counted the connection as leased: asked then, it opened a second one, at most one allowed.
        assertThat(server.connections()).isEqualTo(1L);
    }

    @ParameterizedTest
    @EnumSource(
            value = HttpVersionPolicy.class,
            names = {"FORCE_HTTP_1", "FORCE_HTTP_2"})
    void aHostIsForgottenOnceThePoolHasEvictedItsConnections(HttpVersionPolicy protocol) throws Exception {
        server = new H2TestServer(protocol, null, 100);
        PoolingAsyncClientConnectionManager pool = poolFor(protocol);
        MultiplexingConnectionManager manager = startClient(pool);

        List<CompletableFuture<SimpleHttpResponse>> responses = new ArrayList<>();
        for (int host = 0; host < 40; host++) responses.add(send(urlOnHost("host-" + host + ".test", "/")));
        for (CompletableFuture<SimpleHttpResponse> response : responses)
            assertThat(response.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(200);
        assertThat(manager.routesKept()).isEqualTo(40);
        awaitReleased(pool); // an answer is handed over just before its connection goes back

        manager.closeIdle(TimeValue.ZERO_MILLISECONDS); // what the client's idle-connection evictor calls

        assertThat(pool.getRoutes()).isEmpty();
        assertThat(manager.routesKept()).isZero();
        // A host seen again is served as a new one.
        assertThat(send(urlOnHost("host-0.test", "/again"))
                        .get(10, TimeUnit.SECONDS)
                        .getCode())
                .isEqualTo(200);
        assertThat(manager.routesKept()).isEqualTo(1);
    }

    @Test
    void aHostWithAnExchangeInFlightIsKept() throws Exception {
        server = new H2TestServer(HttpVersionPolicy.FORCE_HTTP_2, null, 100);
        server.reply(n -> H2TestServer.Reply.ok(1_000));
        PoolingAsyncClientConnectionManager pool = poolFor(HttpVersionPolicy.FORCE_HTTP_2);
        MultiplexingConnectionManager manager = startClient(pool);
        CompletableFuture<SimpleHttpResponse> slow = send(urlOnHost("slow.test", "/slow"));
        awaitUntil(() -> server.mostOpen() == 1); // the request is at the server

        manager.closeIdle(TimeValue.ZERO_MILLISECONDS);

        assertThat(manager.routesKept()).isEqualTo(1);
        assertThat(slow.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(200);
        awaitReleased(pool);
        manager.closeIdle(TimeValue.ZERO_MILLISECONDS);
        assertThat(manager.routesKept()).isZero();
    }

    @Test
    void leasesRacingTheEvictionAllGetAConnection() throws Exception {
        server = new H2TestServer(HttpVersionPolicy.FORCE_HTTP_2, null, 100);
        PoolingAsyncClientConnectionManager pool = poolFor(HttpVersionPolicy.FORCE_HTTP_2);
        MultiplexingConnectionManager manager = startClient(pool);
        AtomicBoolean sending = new AtomicBoolean(true);
        ExecutorService evictor = Executors.newSingleThreadExecutor();
        try {
            evictor.submit(() -> {
                while (sending.get()) manager.closeIdle(TimeValue.ZERO_MILLISECONDS);
            });
            List<CompletableFuture<SimpleHttpResponse>> responses = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                responses.add(send(urlOnHost("host-" + i % 5 + ".test", "/" + i)));
                if (i % 50 == 0) responses.get(i).get(10, TimeUnit.SECONDS); // let routes go idle now and then
            }
            for (CompletableFuture<SimpleHttpResponse> response : responses)
                assertThat(response.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(200);
        } finally {
            sending.set(false);
            evictor.shutdown();
            assertThat(evictor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(server.served).hasSize(2_000);
        awaitReleased(pool);
        manager.closeIdle(TimeValue.ZERO_MILLISECONDS);
        assertThat(manager.routesKept()).isZero();
    }

    /** HttpClient's pool, speaking {@code protocol}, that finds every host name on the test server's address. */
    private static PoolingAsyncClientConnectionManager poolFor(HttpVersionPolicy protocol) {
        return PoolingAsyncClientConnectionManagerBuilder.create()
                .setDnsResolver(new EveryNameOnLoopback())
                .setDefaultTlsConfig(
                        TlsConfig.custom().setVersionPolicy(protocol).build())
                .setMaxConnTotal(64)
                .setMaxConnPerRoute(64)
                .build();
    }

    private MultiplexingConnectionManager startClient(PoolingAsyncClientConnectionManager pool) {
        MultiplexingConnectionManager manager = new MultiplexingConnectionManager(pool, 2, 100, 2, Runnable::run);
        client = HttpAsyncClients.custom()
                .setConnectionManager(manager)
                .disableAutomaticRetries()
                .build();
        client.start();
        return manager;
    }

    private String urlOnHost(String host, String path) {
        return server.url(path).replace("localhost", host);
    }

    private static void awaitReleased(PoolingAsyncClientConnectionManager pool) throws InterruptedException {
        awaitUntil(() -> pool.getTotalStats().getLeased() == 0);
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private CompletableFuture<SimpleHttpResponse> send(String url) {
        CompletableFuture<SimpleHttpResponse> response = new CompletableFuture<>();
        execute(url, response);
        return response;
    }

    private void send(String path, CompletableFuture<SimpleHttpResponse> response) {
        execute(server.url(path), response);
    }

    private void execute(String url, CompletableFuture<SimpleHttpResponse> response) {
        client.execute(
                SimpleRequestProducer.create(SimpleRequestBuilder.get(url).build()),
                SimpleResponseConsumer.create(),
                new FutureCallback<>() {
                    @Override
                    public void completed(SimpleHttpResponse result) {
                        response.complete(result);
                    }

                    @Override
                    public void failed(Exception e) {
                        response.completeExceptionally(e);
                    }

                    @Override
                    public void cancelled() {
                        response.cancel(false);
                    }
                });
    }

    /** HttpClient's pool, speaking HTTP/2 with prior knowledge, that runs a task once just before a release. */
    private static final class PoolReleasingLate extends PoolingAsyncClientConnectionManager {
        final AtomicReference<Runnable> beforeRelease = new AtomicReference<>();

        PoolReleasingLate() {
            setDefaultTlsConfig(TlsConfig.custom()
                    .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_2)
                    .build());
        }

        @Override
        public void release(AsyncConnectionEndpoint endpoint, Object state, TimeValue keepAlive) {
            Runnable task = beforeRelease.getAndSet(null);
            if (task != null) task.run();
            super.release(endpoint, state, keepAlive);
        }
    }
}
