package io.kobot.kochava;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.DefaultThreadFactory;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends single requests to Kochava over Apache HttpClient 5 async with a pool of keep-alive connections. One call
 * of {@link #send} is one attempt: the client neither retries nor follows redirects; {@link KochavaDeliverer}
 * decides about retries.
 */
public final class KochavaClient implements AutoCloseable {
    private static final TimeValue CLOSE_NOW_GRACE = TimeValue.ofMilliseconds(300);

    private static final Logger log = LoggerFactory.getLogger(KochavaClient.class);

    /** JSON is UTF-8 by definition (RFC 8259), so no charset parameter. */
    private static final ContentType JSON = ContentType.create("application/json");

    private static final TimeValue IDLE_EVICTION = TimeValue.ofSeconds(30);
    private static final long MAX_SELECT_INTERVAL_MS = 1_000;
    private static final long MIN_SELECT_INTERVAL_MS = 10;

    private final CloseableHttpAsyncClient http;
    private final Clock clock;
    private final Set<Future<SimpleHttpResponse>> exchanges = ConcurrentHashMap.newKeySet();

    public KochavaClient(KochavaClientConfig config) {
        this(config, Clock.systemUTC());
    }

    KochavaClient(KochavaClientConfig config, Clock clock) {
        this.clock = clock;
        Timeout requestTimeout = Timeout.of(config.requestTimeout());
        ConnectionConfig connectionConfig = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(config.connectTimeout()))
                .setSocketTimeout(requestTimeout)
                .build();
        RequestConfig requestConfig = RequestConfig.custom()
                .setResponseTimeout(requestTimeout)
                // Waiting for a pooled connection is bounded too, so an attempt always ends.
                .setConnectionRequestTimeout(requestTimeout)
                .setRedirectsEnabled(false)
                .build();
        this.http = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(config.maxConnections())
                        // Most traffic goes to a single host, which may use the whole pool.
                        .setMaxConnPerRoute(config.maxConnections())
                        .setDefaultConnectionConfig(connectionConfig)
                        // HTTP/1.1: one request per connection at a time, so max-connections means what it says.
                        .setDefaultTlsConfig(TlsConfig.custom()
                                .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
                                .build())
                        .build())
                .setDefaultRequestConfig(requestConfig)
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setSelectInterval(TimeValue.ofMilliseconds(selectIntervalMs(config)))
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                // Pings are made for many users over the same connections: no cookie may carry over between them.
                .disableCookieManagement()
                .evictIdleConnections(IDLE_EVICTION)
                .setUserAgent("kobot-kochava-client")
                .setThreadFactory(new DefaultThreadFactory("kochava-http", true))
                .build();
        this.http.start();
    }

    /**
     * Sends {@code request} once. Never blocks and never completes exceptionally: a failure without a response is a
     * {@link AttemptResult.Verdict#TRANSIENT} result. The future completes on an HTTP client I/O thread, so
     * dependent stages must not block.
     */
    public CompletableFuture<AttemptResult> send(KochavaRequest request) {
        CompletableFuture<AttemptResult> result = new CompletableFuture<>();
        Instant startedAt = clock.instant();
        FutureCallback<SimpleHttpResponse> callback = new FutureCallback<>() {
            @Override
            public void completed(SimpleHttpResponse response) {
                Header retryAfter = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
                result.complete(ResponseClassifier.classify(
                        request,
                        response.getCode(),
                        retryAfter == null ? null : retryAfter.getValue(),
                        response.getBodyText(),
                        startedAt,
                        clock.instant()));
            }

            @Override
            public void failed(Exception e) {
                log.debug("{} failed: {}", request, e.toString());
                result.complete(ResponseClassifier.classifyFailure(e, startedAt, clock.instant()));
            }

            @Override
            public void cancelled() {
                failed(new CancellationException("request cancelled"));
            }
        };
        try {
            Future<SimpleHttpResponse> exchange = http.execute(toHttp(request), callback);
            exchanges.add(exchange);
            result.whenComplete((attempt, error) -> exchanges.remove(exchange));
        } catch (RuntimeException e) {
            // A client that is shutting down may refuse the request instead of failing it through the callback.
            callback.failed(e);
        }
        return result;
    }

    /** Stops, waiting for requests in flight to end (each is bounded by the timeouts). */
    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
    }

    /** Stops at once, cancelling requests still in flight (their results are TRANSIENT). */
    public void closeNow() {
        // Cancel, then give the I/O reactor a moment to shut down gracefully: CloseMode.IMMEDIATE on a running
        // reactor makes httpcore log a ClosedSelectorException. A graceful close alone is not bounded: it can wait
        // for the response of a cancelled exchange, so whatever is left is closed immediately.
        exchanges.forEach(exchange -> exchange.cancel(true));
        http.initiateShutdown();
        try {
            http.awaitShutdown(CLOSE_NOW_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close(CloseMode.IMMEDIATE);
    }

    /**
     * The I/O reactor checks timeouts once per select interval (1 s by default), so a timeout fires up to that much
     * late; a tenth of the shortest timeout keeps them within 10%.
     */
    static long selectIntervalMs(KochavaClientConfig config) {
        Duration shortest = config.requestTimeout().compareTo(config.connectTimeout()) < 0
                ? config.requestTimeout()
                : config.connectTimeout();
        return Math.max(MIN_SELECT_INTERVAL_MS, Math.min(MAX_SELECT_INTERVAL_MS, shortest.toMillis() / 10));
    }

    private static SimpleHttpRequest toHttp(KochavaRequest request) {
        if (request.body() == null)
            return SimpleRequestBuilder.get(request.uri()).build();
        return SimpleRequestBuilder.post(request.uri())
                .setHeader(HttpHeaders.ACCEPT, "application/json")
                .setBody(request.body().getBytes(StandardCharsets.UTF_8), JSON)
                .build();
    }
}
