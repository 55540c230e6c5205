package io.kobot.bench;

import io.kobot.kochava.KochavaClientConfig;
import io.kobot.kochava.KochavaDeliverer;
import io.kobot.streams.deliver.DeliverySettings;
import io.kobot.streams.deliver.DeliveryStatistics;
import io.kobot.streams.deliver.KochavaDeliverySink;
import io.kobot.streams.topology.TopicNames;
import java.util.Map;

/**
 * The in-topology delivery as the application wires it: one deliverer (one connection pool) per Streams
 * instance, reporting to the sink's statistics. Close it after the Streams instance, as the application does.
 */
final class Delivery implements AutoCloseable {
    private final DeliveryStatistics statistics = new DeliveryStatistics();
    private final KochavaDeliverer deliverer;
    private final InFlightSampler inFlight;
    private final DeliverySettings settings;

    Delivery(Map<String, ?> config) {
        this.deliverer = new KochavaDeliverer(KochavaClientConfig.from(config), statistics);
        this.inFlight = new InFlightSampler(deliverer::inFlight);
        this.settings = DeliverySettings.from(config);
    }

    KochavaDeliverySink sink(TopicNames topics) {
        return new KochavaDeliverySink(topics, BenchSample.REGISTRY, settings, deliverer, statistics);
    }

    DeliveryStatistics statistics() {
        return statistics;
    }

    int maxInFlight() {
        return inFlight.max();
    }

    @Override
    public void close() throws InterruptedException {
        inFlight.close();
        deliverer.close();
    }
}
