package io.kobot.messenger.http;

import java.io.IOException;
import java.time.Duration;
import org.apache.hc.core5.http.ExceptionListener;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.impl.bootstrap.HttpServer;
import org.apache.hc.core5.http.impl.bootstrap.ServerBootstrap;
import org.apache.hc.core5.http.io.HttpRequestHandler;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HttpCore 5 classic server: one port, one handler for one path (or every path: {@code *}), whatever the
 * {@code Host} header says (the intake sits behind proxies and load balancers that keep the public host name);
 * other paths get 404.
 */
public final class HttpEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpEndpoint.class);

    /** A client that sends nothing for this long loses its connection (and its worker thread). */
    private static final Timeout IDLE = Timeout.ofSeconds(30);

    private static final long DRAIN_POLL_MS = 20;

    private static final HttpRequestHandler NOT_FOUND =
            (request, response, context) -> response.setCode(HttpStatus.SC_NOT_FOUND);

    private final HttpServer server;
    private final ExchangesInFlight inFlight;
    private final ConnectionLimit connections;

    private HttpEndpoint(HttpServer server, ExchangesInFlight inFlight, ConnectionLimit connections) {
        this.server = server;
        this.inFlight = inFlight;
        this.connections = connections;
    }

    /**
     * Serves {@code handler} at {@code pattern} on {@code port} (0: any free port) over at most {@code
     * maxConnections} connections at once (each holds a thread).
     */
    public static HttpEndpoint start(int port, String pattern, HttpRequestHandler handler, int maxConnections)
            throws IOException {
        ConnectionLimit connections = new ConnectionLimit(maxConnections);
        ExchangesInFlight inFlight = new ExchangesInFlight();
        HttpServer server = ServerBootstrap.bootstrap()
                .setListenerPort(port)
                .setSocketConfig(SocketConfig.custom()
                        .setSoTimeout(IDLE)
                        .setTcpNoDelay(true)
                        .setSoReuseAddress(true)
                        .build())
                .setRequestRouter((request, context) -> matches(pattern, request.getPath()) ? handler : NOT_FOUND)
                .setServerSocketFactory(connections)
                .setStreamListener(inFlight)
                .setExceptionListener(new QuietExceptionListener())
                .create();
        server.start();
        return new HttpEndpoint(server, inFlight, connections);
    }

    private static boolean matches(String pattern, String pathAndQuery) {
        if (pattern.equals("*")) {
            return true;
        }
        int query = pathAndQuery == null ? -1 : pathAndQuery.indexOf('?');
        String path = query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
        return pattern.equals(path);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections open now. */
    public int openConnections() {
        return connections.open();
    }

    /**
     * Stops accepting, lets the requests being handled be answered within {@code limit}, then closes every
     * connection: idle keep-alive connections are not waited for (their worker would block until the socket
     * timeout).
     */
    public void close(Duration limit) {
        server.initiateShutdown();
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (inFlight.any() && System.nanoTime() < deadline) {
                Thread.sleep(DRAIN_POLL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close(CloseMode.IMMEDIATE);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /** Connection resets and timeouts are the clients' business; they are logged at debug, without addresses. */
    private static final class QuietExceptionListener implements ExceptionListener {
        @Override
        public void onError(Exception ex) {
            log.debug("HTTP server: {}", ex.getClass().getSimpleName());
        }

        @Override
        public void onError(org.apache.hc.core5.http.HttpConnection connection, Exception ex) {
            log.debug("HTTP connection: {}", ex.getClass().getSimpleName());
        }
    }
}
