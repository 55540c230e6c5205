package io.kobot.devstack.kochava;

import io.kobot.devstack.tls.SelfSignedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncServer;
import org.apache.hc.core5.http.nio.support.BasicServerExchangeHandler;
import org.apache.hc.core5.http.protocol.HttpProcessorBuilder;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.http2.impl.nio.bootstrap.H2ServerBootstrap;
import org.apache.hc.core5.http2.protocol.H2ResponseConnControl;
import org.apache.hc.core5.http2.protocol.H2ResponseContent;
import org.apache.hc.core5.http2.ssl.H2ServerTlsStrategy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.reactor.ListenerEndpoint;
import org.apache.hc.core5.reactor.ssl.SSLBufferMode;

/**
 * A Kochava stand-in: an HTTP server that answers as Kochava does, records and counts what it received, and fails
 * on demand.
 *
 * <ul>
 *   <li>{@code POST} (the engagement endpoint, {@value #TRACK_PATH}, or any path): 200 {@code {"success":"1"}}.
 *       Each event object of the body (one object, or an array of them) counts as a receipt of the interaction in
 *       its {@code data.event_data.<eventIdField>}.
 *   <li>{@code POST} {@value #IDENTITY_LINK_PATH} (Kochava's IdentityLink endpoint): 200 {@code {"success":"1"}} for
 *       a request in the documented shape ({@code kochava_app_id}, a non-empty {@code device_id} object, a
 *       {@code data} object), kept in {@link #identityLinks}; 400 otherwise. Only {@link #answerWith} faults it.
 *   <li>{@code GET} any other path (an impression or click tracking URL): 302 to the store, as a SmartLink answers;
 *       the last path segment names the interaction ({@code /ping/42}, {@code /t/abc}).
 *   <li>{@code GET} {@value #HEALTH_PATH}: 200. {@code GET} {@value #REQUESTS_PATH}: a JSON array of the requests
 *       received, oldest first, each {@code {"method", "path", "query", "body", "status", "received_at_millis"}}
 *       ({@code body} parsed where it is JSON, text otherwise; the array is empty with {@link
 *       StandInOptions#withoutRequestLog()}). This control endpoint is read-only, never counted and never faulted.
 * </ul>
 *
 * <p>Receipts go to a {@link ReceiptCounter} ({@link #countInto}), counted when the request arrives; a request
 * answered with a {@link Fault} counts as a failed answer, not a receipt. Faults switch at run time: {@link
 * #answerWith} (every request), {@link #failInteraction} (one interaction's), {@link #rejectApp} (a permanent 400 for
 * one app's events), {@link #delayAnswers} (a fixed round trip for every answer), {@link #refuseConnections} (the
 * listener and every connection closed) and {@link #serve} (back to normal, on the same port).
 *
 * <p>Built on HttpCore 5's non-blocking server, which HttpClient 5 already brings: one I/O thread serves thousands
 * of keep-alive connections, so the benchmark measures the client rather than the stand-in; a delayed answer or a
 * tar-pit holds no thread (a timer thread hands it back to the I/O thread when due). It speaks HTTP/1.1 by
 * default, and on request ({@link StandInOptions}) HTTP/2 beside it (h2 by ALPN over TLS, h2c with prior knowledge in
 * plain text) and TLS, with a self-signed certificate for {@code localhost} made at start ({@link #certificate()}).
 * {@link #transport()} counts the connections and the requests per HTTP version.
 *
 * <p>As its own process, for the container stack: {@code java -cp kobot-dev-stack.jar:… }{@code
 * io.kobot.devstack.kochava.KochavaStandIn [--port N] [--event-id-field NAME] [--tls] [--http h1|h2]} listens on every
 * interface, port 8080 by default, and runs until stopped.
 */
public final class KochavaStandIn implements AutoCloseable {
    /**
     * The host name endpoints and tracking URLs name: a name, as {@code kochava.ping.allowed-hosts} takes no IP
     * address. It resolves to loopback, so the client needs {@code kochava.allow-private-addresses=true}.
     */
    public static final String HOST = "localhost";

    /** Kochava's engagement endpoint path. */
    public static final String TRACK_PATH = "/track/json";

    /** Kochava's IdentityLink endpoint path, as its documentation names it. */
    public static final String IDENTITY_LINK_PATH = "/v1/cpi/identityLink.php";

    /** The path prefix of {@link #trackingUrl}. */
    public static final String PING_PATH = "/ping/";

    static final String CONTROL_PATH = "/stand-in/";
    static final String HEALTH_PATH = "/stand-in/health";
    static final String REQUESTS_PATH = "/stand-in/requests";

    private static final Duration REBIND_PATIENCE = Duration.ofSeconds(10);

    /**
     * Streams a client may open at once on one HTTP/2 connection: 100, the least RFC 9113 recommends and what many
     * servers advertise. Also a cost bound: HttpCore's multiplexer visits every open stream of a connection on each
     * output event, and a delayed answer keeps its stream open for the whole round trip.
     */
    public static final int MAX_CONCURRENT_STREAMS = 100;

    private static final int STANDIN_BUFFER_BYTES = 4 * 1024;

    private final StandInOptions options;
    private final Behaviour behaviour = new Behaviour();
    private final RequestLog log;
    private final ScheduledExecutorService scheduler;
    private final StandInHandler handler;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final TransportCounter transport = new TransportCounter();
    private final Path certificateDir;
    private final SelfSignedCertificate certificate;
    private final SSLContext serverTls;
    private volatile ReceiptCounter counter = ReceiptCounter.NONE;
    private HttpAsyncServer server;
    private int port;

    private KochavaStandIn(StandInOptions options) {
        this.options = options;
        this.log = new RequestLog(options.logRequests());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kochava-stand-in-timer");
            thread.setDaemon(true);
            return thread;
        });
        this.handler = new StandInHandler(behaviour, options.eventIdField(), () -> counter, log, scheduler);
        this.port = options.port();
        if (options.tls()) {
            try {
                this.certificateDir = Files.createTempDirectory("kochava-stand-in-tls");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot make a directory for the stand-in's certificate", e);
            }
            this.certificate = SelfSignedCertificate.create(certificateDir);
            this.serverTls = certificate.serverContext();
        } else {
            this.certificateDir = null;
            this.certificate = null;
            this.serverTls = null;
        }
    }

    /** Starts on loopback, on a free port, with the {@link StandInOptions#defaults() defaults}. */
    public static KochavaStandIn start() {
        return start(StandInOptions.defaults());
    }

    public static KochavaStandIn start(StandInOptions options) {
        KochavaStandIn standIn = new KochavaStandIn(options);
        try {
            standIn.listen(Duration.ZERO);
        } catch (RuntimeException e) {
            standIn.close();
            throw e;
        }
        return standIn;
    }

    public synchronized int port() {
        return port;
    }

    /** {@code http://localhost:<port>/}, or {@code https://…} over TLS. */
    public URI baseUri() {
        return URI.create((options.tls() ? "https" : "http") + "://" + HOST + ":" + port() + "/");
    }

    public StandInOptions options() {
        return options;
    }

    /**
     * The certificate it presents over TLS, made at start (for {@code localhost} and 127.0.0.1): clients trust it
     * by its {@link SelfSignedCertificate#clientContext()} or a trust store it writes.
     *
     * @throws IllegalStateException when it serves plain http
     */
    public SelfSignedCertificate certificate() {
        if (certificate == null) {
            throw new IllegalStateException("The stand-in serves plain http: no certificate");
        }
        return certificate;
    }

    /** The connections open and the requests served per HTTP version. */
    public TransportCounter transport() {
        return transport;
    }

    /** The engagement endpoint, for {@code kochava.endpoint}. */
    public URI endpoint() {
        return baseUri().resolve(TRACK_PATH);
    }

    /** The IdentityLink endpoint, for {@code kochava.identity-link.endpoint}. */
    public URI identityLinkEndpoint() {
        return baseUri().resolve(IDENTITY_LINK_PATH);
    }

    /**
     * The IdentityLink requests accepted so far, oldest first (kept whatever the request log's setting; they are
     * neither receipts nor counted).
     */
    public List<ReceivedIdentityLink> identityLinks() {
        return handler.identityLinks();
    }

    /** A tracking URL that names one impression or click, for a record's {@code tracking_url}. */
    public String trackingUrl(String interactionId) {
        return baseUri().resolve(PING_PATH + URLEncoder.encode(interactionId, StandardCharsets.UTF_8))
                + "?campaign=stand-in";
    }

    /** Counts what arrives from now on in {@code next}. */
    public void countInto(ReceiptCounter next) {
        counter = Objects.requireNonNull(next, "next");
    }

    /** Every request received so far, oldest first (none with {@link StandInOptions#withoutRequestLog()}). */
    public List<ReceivedRequest> requests() {
        return log.snapshot();
    }

    /** Answers every request normally again, and accepts connections again if it was refusing them. */
    public synchronized void serve() {
        behaviour.answerEveryRequestWith(null);
        reopen();
    }

    /** Answers every request with {@code fault} (accepting connections again if it was refusing them). */
    public synchronized void answerWith(Fault fault) {
        behaviour.answerEveryRequestWith(Objects.requireNonNull(fault, "fault"));
        reopen();
    }

    /** Closes the listener and every connection: connections are refused until {@link #serve} or {@link #answerWith}. */
    public synchronized void refuseConnections() {
        if (server != null) {
            server.close(CloseMode.IMMEDIATE);
            server = null;
        }
    }

    /** Answers the requests that name {@code interactionId} with {@code fault}, until {@link #stopFailing}. */
    public void failInteraction(String interactionId, Fault fault) {
        behaviour.fail(interactionId, fault);
    }

    public void stopFailing(String interactionId) {
        behaviour.stopFailing(interactionId);
    }

    /** Answers events for {@code appId} with a permanent 400, as Kochava answers for an app it does not know. */
    public void rejectApp(String appId) {
        behaviour.reject(appId);
    }

    public void acceptApp(String appId) {
        behaviour.accept(appId);
    }

    /** Sends every answer {@code latency} after its request arrived, as a remote Kochava would; zero: at once. */
    public void delayAnswers(Duration latency) {
        behaviour.delay(Objects.requireNonNull(latency, "latency"));
    }

    private void reopen() {
        if (server == null) {
            listen(REBIND_PATIENCE);
        }
    }

    /**
     * Binds {@link #port} (a free one the first time if 0). After {@link #refuseConnections} the port may linger
     * for a moment, and tracking URLs name it: binding is retried for up to {@code patience}.
     */
    private synchronized void listen(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            HttpAsyncServer candidate = newServer();
            candidate.start();
            try {
                ListenerEndpoint endpoint = candidate
                        .listen(
                                new InetSocketAddress(options.bindAddress(), port),
                                options.tls() ? URIScheme.HTTPS : URIScheme.HTTP)
                        .get();
                port = ((InetSocketAddress) endpoint.getAddress()).getPort();
                server = candidate;
                return;
            } catch (ExecutionException e) {
                candidate.close(CloseMode.IMMEDIATE);
                if (!(e.getCause() instanceof BindException) || System.nanoTime() - deadline > 0) {
                    throw new UncheckedIOException(
                            "The Kochava stand-in cannot listen on port " + port, asIoException(e.getCause()));
                }
                pause();
            } catch (InterruptedException e) {
                candidate.close(CloseMode.IMMEDIATE);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while binding the Kochava stand-in", e);
            }
        }
    }

    private HttpAsyncServer newServer() {
        H2ServerBootstrap bootstrap = H2ServerBootstrap.bootstrap()
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setIoThreadCount(1)
                        .setSoReuseAddress(true)
                        .setTcpNoDelay(true)
                        .setBacklogSize(1024)
                        .build())
                .setVersionPolicy(versionPolicy())
                // Requests and answers are small: HttpCore's default 32 KiB buffers would hold about 100 KiB of
                // heap per idle keep-alive connection, 150 MiB of the benchmark's heap at 1,536 connections.
                .setHttp1Config(
                        Http1Config.custom().setBufferSize(STANDIN_BUFFER_BYTES).build())
                .setH2Config(H2Config.custom()
                        .setPushEnabled(false)
                        .setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                        .build())
                // Framing and keep-alive only (the H2 variants leave HTTP/2 alone, where connection headers are
                // forbidden): no Date or Server header to format per answer.
                .setHttpProcessor(HttpProcessorBuilder.create()
                        .add(transport.requests())
                        .add(H2ResponseContent.INSTANCE)
                        .add(H2ResponseConnControl.INSTANCE)
                        .build())
                .setIOSessionListener(transport.connections())
                // Every host name and path reaches the one handler: tracking URLs may name any host.
                .setRequestRouter((request, context) -> () -> new BasicServerExchangeHandler<>(handler));
        if (serverTls != null) {
            // Buffers taken while a connection has bytes to move, not for its whole life: about 50 KiB per idle
            // connection otherwise, which the benchmark's 1,536 connections would take from its heap.
            bootstrap.setTlsStrategy(new H2ServerTlsStrategy(serverTls, SSLBufferMode.DYNAMIC, null, null));
        }
        return bootstrap.create();
    }

    /**
     * HTTP/1.1 only; or HTTP/2 offered by ALPN beside HTTP/1.1 over TLS; or, in plain text, HTTP/2 only with prior
     * knowledge (HttpCore's server reads plain text as HTTP/1.1 when it may negotiate: it does not look for the h2c
     * preface).
     */
    private HttpVersionPolicy versionPolicy() {
        if (options.http() == StandInOptions.Http.HTTP1) {
            return HttpVersionPolicy.FORCE_HTTP_1;
        }
        return options.tls() ? HttpVersionPolicy.NEGOTIATE : HttpVersionPolicy.FORCE_HTTP_2;
    }

    private static IOException asIoException(Throwable cause) {
        return cause instanceof IOException io ? io : new IOException(cause);
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while binding the Kochava stand-in", e);
        }
    }

    /** Blocks until {@link #close}. */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    @Override
    public synchronized void close() {
        refuseConnections();
        scheduler.shutdownNow();
        deleteCertificate();
        closed.countDown();
    }

    private void deleteCertificate() {
        if (certificateDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(certificateDir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // A temporary directory: left for the system to clean.
        }
    }

    /** Runs the stand-in as its own process; see the class documentation. */
    public static void main(String[] args) throws InterruptedException {
        StandInOptions options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: KochavaStandIn [--port N (default 8080)] [--event-id-field NAME (default id)] "
                    + "[--tls (https, a self-signed certificate for localhost)] [--http h1|h2 (default h1)]");
            System.exit(2);
            return;
        }
        KochavaStandIn standIn = start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(standIn::close, "kochava-stand-in-shutdown"));
        System.out.println("Kochava stand-in listening on port " + standIn.port() + "; requests at " + REQUESTS_PATH);
        standIn.awaitClose();
    }

    static StandInOptions parse(String[] args) {
        StandInOptions options =
                StandInOptions.defaults().withBindAddress(wildcard()).withPort(8080);
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> options = options.withPort(parsePort(value));
                case "--event-id-field" -> options = options.withEventIdField(required("--event-id-field", value));
                case "--http" -> options = options.withHttp(parseHttp(value));
                case "--tls" -> {
                    options = options.withTls(true);
                    continue; // a flag, no value
                }
                default -> throw new IllegalArgumentException("Unknown argument: " + args[i]);
            }
            i++;
        }
        return options;
    }

    private static StandInOptions.Http parseHttp(String value) {
        return switch (required("--http", value)) {
            case "h1" -> StandInOptions.Http.HTTP1;
            case "h2" -> StandInOptions.Http.H2;
            default -> throw new IllegalArgumentException("--http takes h1 or h2, not " + value);
        };
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(required("--port", value));
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("--port must be 1..65535, not " + value);
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port takes a number, not " + value);
        }
    }

    private static String required(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static InetAddress wildcard() {
        return new InetSocketAddress(0).getAddress();
    }
}
