package io.kobot.devstack.kochava;

import java.net.InetAddress;
import java.util.Objects;

/**
 * How a {@link KochavaStandIn} starts.
 *
 * @param bindAddress where it listens: loopback for tests, the wildcard address in a container
 * @param port the port; 0 picks a free one (it is kept across {@link KochavaStandIn#refuseConnections})
 * @param eventIdField the {@code event_data} field whose value identifies an event's interaction
 * @param logRequests whether every request is kept for {@link KochavaStandIn#requests()}; off for runs of millions
 * @param tls whether it serves https, with a self-signed certificate for {@code localhost} made at start ({@link
 *     KochavaStandIn#certificate()})
 * @param http the HTTP versions it speaks
 */
public record StandInOptions(
        InetAddress bindAddress, int port, String eventIdField, boolean logRequests, boolean tls, Http http) {

    /** The HTTP versions the stand-in speaks. */
    public enum Http {
        /** HTTP/1.1 only (over TLS, ALPN offers nothing else). */
        HTTP1,
        /**
         * HTTP/2: over TLS offered by ALPN beside HTTP/1.1 (h2, then http/1.1); in plain text HTTP/2 alone, with prior
         * knowledge (h2c: HttpCore's server cannot tell it from HTTP/1.1 on one plain port).
         */
        H2
    }

    public StandInOptions {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(eventIdField, "eventIdField");
        Objects.requireNonNull(http, "http");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("Not a port: " + port);
        }
    }

    /** Loopback, a free port, events identified by {@code event_data.id}, every request kept, plain HTTP/1.1. */
    public static StandInOptions defaults() {
        return new StandInOptions(InetAddress.getLoopbackAddress(), 0, "id", true, false, Http.HTTP1);
    }

    public StandInOptions withBindAddress(InetAddress address) {
        return new StandInOptions(address, port, eventIdField, logRequests, tls, http);
    }

    public StandInOptions withPort(int onPort) {
        return new StandInOptions(bindAddress, onPort, eventIdField, logRequests, tls, http);
    }

    public StandInOptions withEventIdField(String field) {
        return new StandInOptions(bindAddress, port, field, logRequests, tls, http);
    }

    /** Counts only, keeps no request: for long runs, where the log would fill the heap. */
    public StandInOptions withoutRequestLog() {
        return new StandInOptions(bindAddress, port, eventIdField, false, tls, http);
    }

    /** Serves https (or plain http with {@code false}). */
    public StandInOptions withTls(boolean overTls) {
        return new StandInOptions(bindAddress, port, eventIdField, logRequests, overTls, http);
    }

    public StandInOptions withHttp(Http versions) {
        return new StandInOptions(bindAddress, port, eventIdField, logRequests, tls, versions);
    }
}
