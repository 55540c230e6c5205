package io.kobot.streams.observability;

import io.kobot.kochava.ConnectionCounts;
import io.kobot.kochava.KochavaRequest;
import io.kobot.streams.deliver.DeliveryStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Exposes {@link DeliveryStatistics} as {@code kobot.delivery.*} meters: counters for requests, retries and
 * outcomes, gauges for what is in flight, pending and in the outboxes, the end-to-end latency percentiles, and the
 * Kochava client's connections by pool and state.
 */
public final class DeliveryMeterBinder implements MeterBinder {
    private final DeliveryStatistics statistics;
    private final Function<KochavaRequest.Kind, ConnectionCounts> connections;

    /** @param connections the connections of the client's pool for a kind of request */
    public DeliveryMeterBinder(
            DeliveryStatistics statistics, Function<KochavaRequest.Kind, ConnectionCounts> connections) {
        this.statistics = statistics;
        this.connections = connections;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(
                registry,
                "kobot.delivery.requests",
                "HTTP requests sent to Kochava, retries included",
                DeliveryStatistics::requests);
        counter(
                registry,
                "kobot.delivery.retries",
                "Retries scheduled after transient failures",
                DeliveryStatistics::retries);
        outcome(registry, "delivered", DeliveryStatistics::successes);
        outcome(registry, "rejected", DeliveryStatistics::permanentFailures);
        outcome(registry, "retries_exhausted", DeliveryStatistics::retriesExhausted);
        counter(
                registry,
                "kobot.delivery.restored",
                "Engagements found in an outbox at task start, sent again",
                DeliveryStatistics::restoredForRedelivery);
        counter(
                registry,
                "kobot.delivery.outbox.unreadable",
                "Outbox entries that could not be read back, " + "dead-lettered with their bytes",
                DeliveryStatistics::unreadableEntries);
        counter(
                registry,
                "kobot.delivery.completion.failures",
                "Times an outcome could not be written; it is " + "written again",
                DeliveryStatistics::completionFailures);
        counter(
                registry,
                "kobot.delivery.identity.links.forwarded",
                "Identity links Kochava accepted",
                DeliveryStatistics::identityLinksForwarded);
        counter(
                registry,
                "kobot.delivery.identity.links.failed",
                "Identity links Kochava rejected or that ran out of retries, dead-lettered",
                DeliveryStatistics::identityLinksFailed);
        FunctionCounter.builder(
                        "kobot.delivery.backpressure.blocked",
                        statistics,
                        s -> s.blockedTime().toNanos() / (double) TimeUnit.SECONDS.toNanos(1))
                .description("Time stream threads waited for room in a full outbox")
                .baseUnit("seconds")
                .register(registry);
        gauge(
                registry,
                "kobot.delivery.in.flight",
                "HTTP requests sent and not yet answered",
                DeliveryStatistics::inFlightRequests);
        gauge(registry, "kobot.delivery.pending", "Engagements batched or in delivery", DeliveryStatistics::pending);
        gauge(
                registry,
                "kobot.delivery.outbox.size",
                "Engagements in this instance's outboxes",
                DeliveryStatistics::outboxSize);
        connections(registry, "posts", KochavaRequest.Kind.EVENT);
        connections(registry, "pings", KochavaRequest.Kind.PING);
        for (double quantile : new double[] {0.5, 0.95, 0.99}) {
            Gauge.builder(
                            "kobot.delivery.latency",
                            statistics,
                            s -> s.latency().percentile(quantile).toNanos() / (double) TimeUnit.SECONDS.toNanos(1))
                    .description("End-to-end latency from the raw record's timestamp to Kochava's answer")
                    .tag("quantile", Double.toString(quantile))
                    .baseUnit("seconds")
                    .register(registry);
        }
    }

    private void connections(MeterRegistry registry, String pool, KochavaRequest.Kind kind) {
        connection(registry, pool, "leased", () -> connections.apply(kind).leased());
        connection(registry, pool, "available", () -> connections.apply(kind).available());
        connection(registry, pool, "opening", () -> connections.apply(kind).opening());
        connection(
                registry, pool, "waiting_to_open", () -> connections.apply(kind).waitingToOpen());
    }

    private static void connection(MeterRegistry registry, String pool, String state, Supplier<Number> count) {
        Gauge.builder("kobot.delivery.connections", count)
                .description("The Kochava client's connections, by pool (posts, pings) and state")
                .tag("pool", pool)
                .tag("state", state)
                .register(registry);
    }

    private void outcome(MeterRegistry registry, String outcome, ToDoubleFunction<DeliveryStatistics> count) {
        FunctionCounter.builder("kobot.delivery.outcomes", statistics, count)
                .description("Engagement deliveries by final outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    private void counter(
            MeterRegistry registry, String name, String description, ToDoubleFunction<DeliveryStatistics> count) {
        FunctionCounter.builder(name, statistics, count)
                .description(description)
                .register(registry);
    }

    private void gauge(
            MeterRegistry registry, String name, String description, ToDoubleFunction<DeliveryStatistics> value) {
        Gauge.builder(name, statistics, value).description(description).register(registry);
    }
}
