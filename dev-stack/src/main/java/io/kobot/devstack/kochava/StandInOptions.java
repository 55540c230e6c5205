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
 */
public record StandInOptions(InetAddress bindAddress, int port, String eventIdField, boolean logRequests) {

    public StandInOptions {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(eventIdField, "eventIdField");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("Not a port: " + port);
        }
    }

    /** Loopback, a free port, events identified by {@code event_data.id}, every request kept. */
    public static StandInOptions defaults() {
        return new StandInOptions(InetAddress.getLoopbackAddress(), 0, "id", true);
    }

    public StandInOptions withBindAddress(InetAddress address) {
        return new StandInOptions(address, port, eventIdField, logRequests);
    }

    public StandInOptions withPort(int onPort) {
        return new StandInOptions(bindAddress, onPort, eventIdField, logRequests);
    }

    public StandInOptions withEventIdField(String field) {
        return new StandInOptions(bindAddress, port, field, logRequests);
    }

    /** Counts only, keeps no request: for long runs, where the log would fill the heap. */
    public StandInOptions withoutRequestLog() {
        return new StandInOptions(bindAddress, port, eventIdField, false);
    }
}
