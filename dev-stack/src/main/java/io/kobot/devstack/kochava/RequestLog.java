package io.kobot.devstack.kochava;

import java.util.ArrayList;
import java.util.List;

/** Every request received, in order of arrival, when enabled. */
final class RequestLog {
    private final boolean enabled;
    private final List<ReceivedRequest> requests = new ArrayList<>();

    RequestLog(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    synchronized void add(ReceivedRequest request) {
        requests.add(request);
    }

    synchronized List<ReceivedRequest> snapshot() {
        return List.copyOf(requests);
    }
}
