package io.kobot.devstack.kochava;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** How the stand-in answers right now: switched by the tests while requests arrive, read on the I/O thread. */
final class Behaviour {
    private volatile Fault everyRequest;
    private volatile Duration latency = Duration.ZERO;
    private final Set<String> rejectedApps = ConcurrentHashMap.newKeySet();
    private final Map<String, Fault> perInteraction = new ConcurrentHashMap<>();

    void answerEveryRequestWith(Fault fault) {
        everyRequest = fault;
    }

    void delay(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("A negative latency: " + by);
        }
        latency = by;
    }

    Duration latency() {
        return latency;
    }

    void reject(String appId) {
        rejectedApps.add(Objects.requireNonNull(appId, "appId"));
    }

    void accept(String appId) {
        rejectedApps.remove(appId);
    }

    void fail(String interactionId, Fault fault) {
        perInteraction.put(Objects.requireNonNull(interactionId, "interactionId"), Objects.requireNonNull(fault));
    }

    void stopFailing(String interactionId) {
        perInteraction.remove(interactionId);
    }

    /** The fault for an engagement POST, or null for success: every request's first, then the app, then the ids. */
    Fault forEvents(EngagementBody body, List<String> ids) {
        Fault fault = everyRequest;
        if (fault != null) {
            return fault;
        }
        for (String appId : rejectedApps) {
            if (body.isForApp(appId)) {
                return Fault.reject();
            }
        }
        return forIds(ids);
    }

    /** The fault for an IdentityLink request, or null for success: only every request's. */
    Fault forIdentityLink() {
        return everyRequest;
    }

    /** The fault for a ping, or null for success. */
    Fault forPing(String id) {
        Fault fault = everyRequest;
        return fault != null ? fault : forIds(id == null ? List.of() : List.of(id));
    }

    private Fault forIds(List<String> ids) {
        if (perInteraction.isEmpty()) {
            return null;
        }
        for (String id : ids) {
            Fault fault = id == null ? null : perInteraction.get(id);
            if (fault != null) {
                return fault;
            }
        }
        return null;
    }
}
