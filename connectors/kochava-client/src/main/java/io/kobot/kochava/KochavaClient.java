package io.kobot.kochava;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.concurrent.DefaultThreadFactory;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends single requests to Kochava over Apache HttpClient 5 async. One call of {@link #send} is one attempt: the
 * client neither retries nor follows redirects; {@link KochavaDeliverer} decides about retries.
 *
 * <ul>
 *   <li>Pings and POSTs use two clients with pools of their own ({@code delivery.ping.max-connections},
 *       {@code delivery.max-connections}), so slow tracking hosts cannot hold the connections events need.</li>
 *   <li>A ping goes only to a host of {@code kochava.ping.allowed-hosts}, and every connection only to a public
 *       address unless {@code kochava.allow-private-addresses} (checked in the resolver the connection uses).</li>
 *   <li>Each attempt has a hard deadline, {@code delivery.request-timeout}, after which its exchange is cancelled,
 *       however slowly the server trickles bytes.</li>
 *   <li>Ping response bodies are discarded; POST response bodies are read up to {@link #MAX_BODY_BYTES}.</li>
 *   <li>{@code delivery.http.version-policy}: HTTP/2 where TLS's ALPN agrees on it (or with prior knowledge),
 *       else HTTP/1.1; {@link MultiplexingConnectionManager} carries many exchanges over each HTTP/2 connection,
 *       and one that fails or passes its deadline ends its own stream only.</li>
 *   <li>Each pool opens at most {@code delivery.max-opening-connections} connections at once to each host (TCP
 *       connect and TLS handshake, {@link ConnectGate}), so that filling a pool does not start hundreds of handshakes
 *       together, and a tracking host slow to connect to holds up no ping to another host.</li>
 *   <li>HttpClient resolves host names on the thread that starts the exchange; {@link #send} hands that to a
 *       dispatch thread, so a slow DNS server never blocks the caller (a Kafka Streams thread).</li>
 * </ul>
 */
public final class KochavaClient implements AutoCloseable {
    /** Largest POST response body read: {@code {"success":...}} and then some. */
    public static final int MAX_BODY_BYTES = 8 * 1024;

    private static final TimeValue CLOSE_NOW_GRACE = TimeValue.ofMilliseconds(300);

    private static final Logger log = LoggerFactory.getLogger(KochavaClient.class);

    /** JSON is UTF-8 by definition (RFC 8259), so no charset parameter. */
    private static final ContentType JSON = ContentType.create("application/json");

    private static final TimeValue IDLE_EVICTION = TimeValue.ofSeconds(30);
    /**
     * How much longer than the request timeout a connection may be silent before the I/O reactor closes it: the
     * deadline cuts a silent attempt (its stream alone is reset, its HTTP/2 connection retired), the idle timer is
     * the backstop. Equal, they raced (the reactor checks once per select interval, the deadline thread may be late
     * under load), and an idle timer that won failed every stream of its HTTP/2 connection as an I/O error.
     */
    private static final Duration IDLE_BACKSTOP = Duration.ofSeconds(1);

    private static final long MAX_SELECT_INTERVAL_MS = 1_000;
    private static final long MIN_SELECT_INTERVAL_MS = 10;
    private static final int POST_DISPATCH_THREADS = 2;
    private static final int PING_DISPATCH_THREADS = 4;
    private static final int HTTP1_BUFFER_BYTES = 4 * 1024;

    private final Pool posts;
    private final Pool pings;
    private final PingHostAllowlist allowedHosts;
    private final Duration deadline;
    private final AttemptDeadlines deadlines;
    private final Clock clock;

    public KochavaClient(KochavaClientConfig config) {
        this(config, Clock.systemUTC());
    }

    KochavaClient(KochavaClientConfig config, Clock clock) {
        this(config, clock, SystemDefaultDnsResolver.INSTANCE);
    }

    /** @param dnsResolver resolves host names; its answers are checked before any connection */
    KochavaClient(KochavaClientConfig config, Clock clock, DnsResolver dnsResolver) {
        this(config, clock, dnsResolver, null);
    }

    /**
     * @param dnsResolver resolves host names; its answers are checked before any connection
     * @param sslContext whom TLS connections trust; null for the JVM's default trust store (a test's own CA)
     */
    KochavaClient(KochavaClientConfig config, Clock clock, DnsResolver dnsResolver, SSLContext sslContext) {
        this.clock = clock;
        this.allowedHosts = config.pingAllowedHosts();
        this.deadline = config.requestTimeout();
        DnsResolver guarded = new GuardedDnsResolver(dnsResolver, config.allowPrivateAddresses());
        HttpVersionPolicy postPolicy = config.httpVersionPolicy();
        // Tracking URLs name other hosts than the endpoint: prior knowledge of HTTP/2 is the endpoint's, so pings
        // negotiate unless HTTP/1.1 is forced.
        HttpVersionPolicy pingPolicy =
                postPolicy == HttpVersionPolicy.FORCE_HTTP_1 ? postPolicy : HttpVersionPolicy.NEGOTIATE;
        this.posts = new Pool(
                "post", config, config.maxConnections(), postPolicy, POST_DISPATCH_THREADS, guarded, sslContext);
        this.pings = new Pool(
                "ping", config, config.pingMaxConnections(), pingPolicy, PING_DISPATCH_THREADS, guarded, sslContext);
        this.deadlines = new AttemptDeadlines(deadline, "kochava-deadline");
    }

    /**
     * Sends {@code request} once. Never blocks and never completes exceptionally: a failure without a response is
     * a result too (see {@link ResponseClassifier#classifyFailure}). The future completes on an internal thread,
     * so dependent stages must not block.
     */
    public CompletableFuture<AttemptResult> send(KochavaRequest request) {
        Instant startedAt = clock.instant();
        if (request.kind() == KochavaRequest.Kind.PING) {
            PingHostAllowlist.Verdict verdict = allowedHosts.check(request.uri().toString());
            if (!verdict.allowed()) {
                return CompletableFuture.completedFuture(new AttemptResult(
                        AttemptResult.Verdict.PERMANENT,
                        null,
                        "tracking_url refused: " + verdict.reason(),
                        null,
                        startedAt,
                        clock.instant()));
            }
        }
        Pool pool = poolFor(request.kind());
        Attempt attempt = new Attempt(pool, request, startedAt);
        deadlines.add(attempt);
        attempt.result.whenComplete(attempt);
        if (Thread.currentThread() instanceof DispatchThread thread && thread.pool == pool) {
            // Already where exchanges start (a slot handed on by the deliverer): no second hop.
            attempt.run();
            return attempt.result;
        }
        try {
            pool.dispatcher.execute(attempt);
        } catch (RejectedExecutionException e) {
            attempt.result.complete(ResponseClassifier.classifyFailure(
                    new CancellationException("client closed"), startedAt, clock.instant()));
        }
        return attempt.result;
    }

    /** The connections of the pool that carries {@code kind}'s requests: leased, idle, awaited. */
    PoolStats connections(KochavaRequest.Kind kind) {
        return poolFor(kind).connections.getTotalStats();
    }

    /** Pings have a pool of their own, so that slow tracking hosts cannot hold the connections POSTs need. */
    private Pool poolFor(KochavaRequest.Kind kind) {
        return kind == KochavaRequest.Kind.PING ? pings : posts;
    }

    /** The connections of the pool that carries {@code kind}'s requests, for monitoring. */
    public ConnectionCounts connectionCounts(KochavaRequest.Kind kind) {
        Pool pool = poolFor(kind);
        PoolStats pooled = pool.connections.getTotalStats();
        return new ConnectionCounts(
                pooled.getLeased(),
                pooled.getAvailable(),
                pool.connections.opening(),
                pool.connections.waitingToOpen());
    }

    /**
     * Runs tasks where the exchanges of {@code kind}'s requests start, so that a {@link #send} from there starts its
     * exchange at once; a task given after close runs on the caller's thread.
     */
    Executor dispatcher(KochavaRequest.Kind kind) {
        Pool pool = poolFor(kind);
        return task -> {
            try {
                pool.dispatcher.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        };
    }

    /**
     * One attempt: its exchange, its deadline (a node of {@link #deadlines} until it ends), and what to undo when it
     * ends. Run on a dispatch thread to start the exchange; the exchange's callback; the result's completion stage.
     */
    private final class Attempt extends AttemptDeadlines.Entry
            implements Runnable, FutureCallback<BoundedResponse>, BiConsumer<AttemptResult, Throwable> {
        final CompletableFuture<AttemptResult> result = new CompletableFuture<>();
        private final Pool pool;
        private final KochavaRequest request;
        private final Instant startedAt;
        private final ExchangeAbandonment abandonment = new ExchangeAbandonment();
        // Set when the exchange itself ends the attempt: it must not be cancelled then. Cancelling from within its
        // completion (where the result completes) would make HttpClient discard a connection that is fine to reuse.
        private volatile boolean answered;
        // Set when the deadline ends the attempt: the failure that abandoning the exchange causes (a connect being
        // opened, or waiting to be, is cancelled at once) is this timeout, not an I/O error.
        private volatile boolean expired;
        private volatile Future<?> exchange;
        private volatile BoundedResponseConsumer consumer;

        Attempt(Pool pool, KochavaRequest request, Instant startedAt) {
            this.pool = pool;
            this.request = request;
            this.startedAt = startedAt;
        }

        /** Starts the exchange; resolves the host (when no pooled connection is free) on this thread. */
        @Override
        public void run() {
            if (result.isDone()) return;
            try {
                BoundedResponseConsumer bounded =
                        new BoundedResponseConsumer(request.kind() == KochavaRequest.Kind.PING ? 0 : MAX_BODY_BYTES);
                consumer = bounded;
                if (result.isDone()) bounded.abandon();
                HttpClientContext context = HttpClientContext.create();
                context.setAttribute(ExchangeAbandonment.ATTRIBUTE, abandonment);
                Future<BoundedResponse> running =
                        pool.http.execute(SimpleRequestProducer.create(toHttp(request)), bounded, null, context, this);
                exchange = running;
                if (result.isDone() && !answered) running.cancel(true);
            } catch (RuntimeException e) {
                // A client that is shutting down may refuse the request instead of failing it through the callback.
                failed(e);
            }
        }

        @Override
        void expire() {
            expired = true;
            // Abandoned before the result is told, not after: a caller's own stage on the result runs before accept
            // and may send at once; that request must not find the connection the server sits on still shared.
            if (!answered) abandonment.abandon();
            result.complete(new AttemptResult(
                    AttemptResult.Verdict.TRANSIENT,
                    null,
                    "timeout (no complete response within " + deadline.toMillis() + " ms)",
                    null,
                    startedAt,
                    clock.instant()));
        }

        /** Cancels the exchange (closing at once): its result is TRANSIENT. */
        void cancel() {
            Future<?> running = exchange;
            if (running != null) running.cancel(true);
        }

        @Override
        public void completed(BoundedResponse response) {
            answered = true;
            result.complete(ResponseClassifier.classify(
                    request,
                    response.status(),
                    response.retryAfter(),
                    response.bodyText(),
                    response.cut(),
                    startedAt,
                    clock.instant()));
        }

        @Override
        public void failed(Exception e) {
            if (e instanceof BoundedResponseConsumer.BodyCutException cut) {
                completed(cut.response());
                return;
            }
            if (expired) return;
            log.debug("{} failed: {}", request, e.toString());
            answered = true;
            result.complete(ResponseClassifier.classifyFailure(e, startedAt, clock.instant()));
        }

        @Override
        public void cancelled() {
            failed(new CancellationException("request cancelled"));
        }

        /** The attempt ended, whichever way: past the deadline, or closing, the exchange must not go on. */
        @Override
        public void accept(AttemptResult ended, Throwable error) {
            deadlines.remove(this);
            BoundedResponseConsumer bounded = consumer;
            if (bounded != null) bounded.abandon();
            if (answered) return;
            abandonment.abandon();
            Future<?> running = exchange;
            if (running != null) running.cancel(true);
        }
    }

    /** Stops, waiting for requests in flight to end (each is bounded by its deadline). */
    @Override
    public void close() {
        posts.close();
        pings.close();
        deadlines.close();
    }

    /** Stops at once, cancelling requests still in flight (their results are TRANSIENT). */
    public void closeNow() {
        // Cancel, then give the I/O reactors a moment to shut down gracefully: CloseMode.IMMEDIATE on a running
        // reactor makes httpcore log a ClosedSelectorException. A graceful close alone is not bounded: it can wait
        // for the response of a cancelled exchange, so whatever is left is closed immediately.
        for (AttemptDeadlines.Entry attempt : deadlines.listed()) ((Attempt) attempt).cancel();
        posts.initiateShutdown();
        pings.initiateShutdown();
        try {
            posts.http.awaitShutdown(CLOSE_NOW_GRACE);
            pings.http.awaitShutdown(CLOSE_NOW_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        posts.http.close(CloseMode.IMMEDIATE);
        pings.http.close(CloseMode.IMMEDIATE);
        deadlines.close();
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

    /** A thread of one pool's dispatcher, where that pool's exchanges start. */
    private static final class DispatchThread extends Thread {
        final Pool pool;

        DispatchThread(Pool pool, Runnable task, String name) {
            super(task, name);
            this.pool = pool;
            setDaemon(true);
        }
    }

    /** One HTTP client with its connection pool, and the threads that start its exchanges. */
    private static final class Pool {
        final CloseableHttpAsyncClient http;
        final MultiplexingConnectionManager connections;
        final ThreadPoolExecutor dispatcher;
        private final AtomicInteger dispatchThreadCount = new AtomicInteger();

        Pool(
                String name,
                KochavaClientConfig config,
                int maxConnections,
                HttpVersionPolicy versionPolicy,
                int dispatchThreads,
                DnsResolver resolver,
                SSLContext sslContext) {
            Timeout requestTimeout = Timeout.of(config.requestTimeout());
            // An HTTP/1.1 exchange still times out at the request timeout (HttpClient makes its response timeout the
            // socket's); a shared HTTP/2 connection keeps this one, the deadline's backstop.
            ConnectionConfig connectionConfig = ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.of(config.connectTimeout()))
                    .setSocketTimeout(Timeout.of(config.requestTimeout().plus(IDLE_BACKSTOP)))
                    .build();
            RequestConfig requestConfig = RequestConfig.custom()
                    .setResponseTimeout(requestTimeout)
                    .setConnectionRequestTimeout(requestTimeout)
                    .setRedirectsEnabled(false)
                    .build();
            PoolingAsyncClientConnectionManagerBuilder pooling = PoolingAsyncClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(maxConnections)
                    // Most traffic goes to a single host, which may use the whole pool.
                    .setMaxConnPerRoute(maxConnections)
                    .setDefaultConnectionConfig(connectionConfig)
                    .setDnsResolver(resolver)
                    // NEGOTIATE: HTTP/2 where TLS's ALPN agrees on it, else HTTP/1.1 (plain http is HTTP/1.1);
                    // FORCE_HTTP_2: HTTP/2 also over plain http (h2c with prior knowledge); FORCE_HTTP_1: never h2.
                    .setDefaultTlsConfig(
                            TlsConfig.custom().setVersionPolicy(versionPolicy).build());
            if (sslContext != null)
                pooling.setTlsStrategy(ClientTlsStrategyBuilder.create()
                        .setSslContext(sslContext)
                        .build());
            this.dispatcher = new ThreadPoolExecutor(
                    dispatchThreads,
                    dispatchThreads,
                    30,
                    TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(),
                    task -> new DispatchThread(
                            this, task, "kochava-" + name + "-dispatch-" + dispatchThreadCount.incrementAndGet()));
            this.dispatcher.allowCoreThreadTimeOut(true);
            // An open that waited starts on a dispatch thread: it resolves the host name, as an exchange's start does.
            this.connections = new MultiplexingConnectionManager(
                    pooling.build(),
                    config.h2MaxConnections(),
                    config.h2MaxConcurrentStreams(),
                    config.maxOpeningConnections(),
                    dispatcher);
            this.http = HttpAsyncClients.custom()
                    .setConnectionManager(connections)
                    // Requests and answers are small (a POST body of about a kilobyte, an answer read up to 8 KiB):
                    // HttpCore's 32 KiB default buffers would cost 64 KiB of heap per idle HTTP/1.1 connection.
                    .setHttp1Config(Http1Config.custom()
                            .setBufferSize(HTTP1_BUFFER_BYTES)
                            .build())
                    .setH2Config(H2Config.custom()
                            .setPushEnabled(false)
                            .setMaxConcurrentStreams(config.h2MaxConcurrentStreams())
                            .build())
                    .setDefaultRequestConfig(requestConfig)
                    .setIOReactorConfig(IOReactorConfig.custom()
                            .setSelectInterval(TimeValue.ofMilliseconds(selectIntervalMs(config)))
                            .setIoThreadCount(config.ioThreads())
                            .build())
                    .disableRedirectHandling()
                    .disableAutomaticRetries()
                    // Answers are a few bytes (pings' bodies are dropped): no Accept-Encoding header to send, and
                    // encode in HPACK, with every request, and no decoding stage on every answer.
                    .disableContentCompression()
                    // Pings are made for many users over the same connections: no cookie may carry over between them.
                    .disableCookieManagement()
                    .evictIdleConnections(IDLE_EVICTION)
                    .setUserAgent("kobot-kochava-client")
                    .setThreadFactory(new DefaultThreadFactory("kochava-" + name + "-http", true))
                    .build();
            this.http.start();
        }

        void close() {
            dispatcher.shutdown();
            http.close(CloseMode.GRACEFUL);
            dispatcher.shutdownNow();
        }

        void initiateShutdown() {
            dispatcher.shutdownNow();
            http.initiateShutdown();
        }
    }
}
