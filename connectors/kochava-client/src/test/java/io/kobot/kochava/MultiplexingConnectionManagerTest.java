package io.kobot.kochava;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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

    private void send(String path, CompletableFuture<SimpleHttpResponse> response) {
        client.execute(
                SimpleRequestProducer.create(
                        SimpleRequestBuilder.get(server.url(path)).build()),
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
