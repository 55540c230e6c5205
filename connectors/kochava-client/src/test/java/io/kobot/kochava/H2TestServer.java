package io.kobot.kochava;

import io.kobot.devstack.tls.SelfSignedCertificate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import javax.net.ssl.SSLContext;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpConnection;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncServer;
import org.apache.hc.core5.http.nio.AsyncRequestConsumer;
import org.apache.hc.core5.http.nio.AsyncServerRequestHandler;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.entity.StringAsyncEntityConsumer;
import org.apache.hc.core5.http.nio.support.AsyncResponseBuilder;
import org.apache.hc.core5.http.nio.support.BasicRequestConsumer;
import org.apache.hc.core5.http.nio.support.BasicServerExchangeHandler;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.http2.frame.FrameType;
import org.apache.hc.core5.http2.frame.RawFrame;
import org.apache.hc.core5.http2.impl.nio.H2StreamListener;
import org.apache.hc.core5.http2.impl.nio.bootstrap.H2ServerBootstrap;
import org.apache.hc.core5.http2.ssl.H2ServerTlsStrategy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.reactor.ListenerEndpoint;

/**
 * HttpCore 5's own server, as HTTP/2 (h2 by ALPN or h2c with prior knowledge) or HTTP/1.1 only, over TLS with a
 * self-signed certificate made for the test or in plain text. It records, per request, the protocol it was served
 * with and the client's address (one per connection), and how many requests each connection had open at once.
 */
final class H2TestServer implements AutoCloseable {

    /** What the server answers, after {@code delayMillis}. */
    record Reply(int status, String retryAfter, String body, long delayMillis) {
        static Reply ok(long delayMillis) {
            return new Reply(200, null, "{\"success\":\"1\"}", delayMillis);
        }

        /** A tracking host's answer: a redirect without a body. */
        static Reply redirect() {
            return new Reply(302, null, null, 0);
        }
    }

    /** One request as served. */
    record Served(ProtocolVersion protocol, InetSocketAddress client, String path) {}

    private final HttpAsyncServer server;
    private final ScheduledExecutorService delays = Executors.newScheduledThreadPool(2);
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<InetSocketAddress, AtomicInteger> openPerConnection = new ConcurrentHashMap<>();
    private final AtomicInteger mostOpenOnOneConnection = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    private final AtomicInteger resetsReceived = new AtomicInteger();
    final List<Served> served = new CopyOnWriteArrayList<>();
    private final int port;
    private final boolean tls;
    private volatile IntFunction<Reply> replies = n -> Reply.ok(0);
    /** Off for benchmarks: the record of every request would grow without end. */
    private volatile boolean recording = true;

    /**
     * @param policy FORCE_HTTP_2: HTTP/2 only (h2c with prior knowledge in plain text); NEGOTIATE: HTTP/2 by ALPN
     *     or HTTP/1.1; FORCE_HTTP_1: HTTP/1.1 only (ALPN offers nothing else)
     * @param tls the server's TLS context, or null for plain text
     */
    H2TestServer(HttpVersionPolicy policy, SSLContext tls, int maxConcurrentStreams) throws Exception {
        this.tls = tls != null;
        Handler handler = new Handler();
        H2ServerBootstrap bootstrap = H2ServerBootstrap.bootstrap()
                .setVersionPolicy(policy)
                .setH2Config(H2Config.custom()
                        .setMaxConcurrentStreams(maxConcurrentStreams)
                        .build())
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setIoThreadCount(2)
                        .setSoReuseAddress(true)
                        .setBacklogSize(4096)
                        .build())
                .setStreamListener(new ResetCounter())
                // Every host name is served (it stands in for several hosts), none answered 421 Misdirected.
                .setRequestRouter((request, context) -> () -> new BasicServerExchangeHandler<>(handler));
        if (tls != null) bootstrap.setTlsStrategy(new H2ServerTlsStrategy(tls));
        server = bootstrap.create();
        server.start();
        ListenerEndpoint endpoint = server.listen(
                        new InetSocketAddress("127.0.0.1", 0), tls != null ? URIScheme.HTTPS : URIScheme.HTTP)
                .get(10, TimeUnit.SECONDS);
        port = ((InetSocketAddress) endpoint.getAddress()).getPort();
    }

    void reply(IntFunction<Reply> replies) {
        this.replies = replies;
    }

    String url(String path) {
        return (tls ? "https" : "http") + "://localhost:" + port + path;
    }

    long connections() {
        return served.stream().map(Served::client).distinct().count();
    }

    List<ProtocolVersion> protocols() {
        return served.stream().map(Served::protocol).distinct().toList();
    }

    /** The most requests one connection had open at once. */
    int mostOnOneConnectionAtOnce() {
        return mostOpenOnOneConnection.get();
    }

    /** The most requests open at once over all connections. */
    int mostOpen() {
        return mostOpen.get();
    }

    /** RST_STREAM frames received from clients: streams they gave up on. */
    int resetsReceived() {
        return resetsReceived.get();
    }

    @Override
    public void close() {
        server.close(CloseMode.IMMEDIATE);
        delays.shutdownNow();
    }

    /**
     * A self-signed certificate for {@code localhost} and 127.0.0.1, made for this run (the dev stack's, which the
     * Kochava stand-in presents too): the server's key, and a client context that trusts that certificate alone.
     */
    static Tls selfSigned(Path dir) {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(dir);
        return new Tls(certificate.serverContext(), certificate.clientContext());
    }

    record Tls(SSLContext server, SSLContext client) {}

    /**
     * Runs the server in a JVM of its own (for {@link ClientBenchmark}, so that the client's CPU and heap are
     * measured alone): {@code http1|h2|negotiate <key store path or -> <delay ms> <max concurrent streams>}. Prints
     * {@code port=N}, then serves until its standard input closes.
     */
    public static void main(String[] args) throws Exception {
        HttpVersionPolicy policy = switch (args[0]) {
            case "http1" -> HttpVersionPolicy.FORCE_HTTP_1;
            case "h2" -> HttpVersionPolicy.FORCE_HTTP_2;
            default -> HttpVersionPolicy.NEGOTIATE;
        };
        SSLContext context = args[1].equals("-")
                ? null
                : SelfSignedCertificate.load(Path.of(args[1])).serverContext();
        long delay = Long.parseLong(args[2]);
        try (H2TestServer server = new H2TestServer(policy, context, Integer.parseInt(args[3]))) {
            server.recording = false;
            server.reply(n -> Reply.ok(delay));
            System.out.println("port=" + server.port);
            System.out.flush();
            while (System.in.read() >= 0) {
                // Serves until the parent closes the pipe.
            }
        }
    }

    private final class ResetCounter implements H2StreamListener {
        @Override
        public void onFrameInput(HttpConnection connection, int streamId, RawFrame frame) {
            if (frame.getType() == FrameType.RST_STREAM.getValue()) resetsReceived.incrementAndGet();
        }

        @Override
        public void onHeaderInput(HttpConnection connection, int streamId, List<? extends Header> headers) {}

        @Override
        public void onHeaderOutput(HttpConnection connection, int streamId, List<? extends Header> headers) {}

        @Override
        public void onFrameOutput(HttpConnection connection, int streamId, RawFrame frame) {}

        @Override
        public void onInputFlowControl(HttpConnection connection, int streamId, int delta, int actualSize) {}

        @Override
        public void onOutputFlowControl(HttpConnection connection, int streamId, int delta, int actualSize) {}
    }

    private final class Handler implements AsyncServerRequestHandler<Message<HttpRequest, String>> {
        @Override
        public AsyncRequestConsumer<Message<HttpRequest, String>> prepare(
                HttpRequest request, EntityDetails entityDetails, HttpContext context) {
            return new BasicRequestConsumer<>(
                    entityDetails != null ? new StringAsyncEntityConsumer() : new DiscardingEntityConsumer<>());
        }

        @Override
        public void handle(Message<HttpRequest, String> message, ResponseTrigger trigger, HttpContext context) {
            HttpCoreContext core = HttpCoreContext.cast(context);
            InetSocketAddress client =
                    (InetSocketAddress) core.getEndpointDetails().getRemoteAddress();
            ProtocolVersion protocol =
                    core.getProtocolVersion() != null ? core.getProtocolVersion() : HttpVersion.HTTP_1_1;
            if (recording)
                served.add(new Served(protocol, client, message.getHead().getPath()));
            AtomicInteger onConnection = openPerConnection.computeIfAbsent(client, c -> new AtomicInteger());
            mostOpenOnOneConnection.accumulateAndGet(onConnection.incrementAndGet(), Math::max);
            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            Reply reply = replies.apply(requests.getAndIncrement());
            Runnable respond = () -> {
                onConnection.decrementAndGet();
                open.decrementAndGet();
                AsyncResponseBuilder response = AsyncResponseBuilder.create(reply.status());
                if (reply.body() != null) response.setEntity(reply.body(), ContentType.APPLICATION_JSON);
                if (reply.retryAfter() != null) response.setHeader("Retry-After", reply.retryAfter());
                try {
                    trigger.submitResponse(response.build(), context);
                } catch (HttpException | IOException e) {
                    // The client went away (a cancelled stream): nothing to answer.
                }
            };
            if (reply.delayMillis() > 0) delays.schedule(respond, reply.delayMillis(), TimeUnit.MILLISECONDS);
            else respond.run();
        }
    }
}
