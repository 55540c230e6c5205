package io.kobot.streams.deliver;

import io.kobot.config.ConfigDefs;
import io.kobot.config.ConfigProblem;
import io.kobot.config.ConfigValues;
import io.kobot.config.InvalidConfigurationException;
import io.kobot.kochava.KochavaClientConfig;
import io.kobot.kochava.KochavaDeliverer;
import io.kobot.streams.topology.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * In-topology delivery for one application instance: one deliverer (one connection pool) shared by every task,
 * the sink to pass to the topology, and the statistics to bind to metrics. Close it after
 * {@code KafkaStreams.close()}: closing first would abort deliveries of tasks still running.
 */
public final class KochavaDelivery implements AutoCloseable {
    private final DeliveryStatistics statistics = new DeliveryStatistics();
    private final KochavaDeliverer deliverer;
    private final KochavaDeliverySink sink;

    private KochavaDelivery(
            TopicNames topics,
            Map<String, ?> registryConfig,
            KochavaClientConfig clientConfig,
            DeliverySettings settings) {
        this.deliverer = new KochavaDeliverer(clientConfig, statistics);
        this.sink = new KochavaDeliverySink(topics, registryConfig, settings, deliverer, statistics);
    }

    /**
     * @param deliveryProperties the {@code kochava.*} and {@code delivery.*} keys, for the client and the sink
     * @throws InvalidConfigurationException listing every invalid value of both
     */
    public static KochavaDelivery create(
            TopicNames topics, Map<String, ?> registryConfig, Map<String, ?> deliveryProperties) {
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigValues values = ConfigValues.parse(
                ConfigDefs.compose(KochavaClientConfig.CONFIG_DEF, DeliverySettings.CONFIG_DEF),
                deliveryProperties,
                problems);
        KochavaClientConfig.checkAcross(values, problems);
        DeliverySettings.checkAcross(values, problems);
        InvalidConfigurationException.throwIfAny(problems);
        return create(topics, registryConfig, KochavaClientConfig.from(values), DeliverySettings.from(values));
    }

    /** With the client's and the sink's settings already read (by the pipeline's configuration). */
    public static KochavaDelivery create(
            TopicNames topics,
            Map<String, ?> registryConfig,
            KochavaClientConfig clientConfig,
            DeliverySettings settings) {
        return new KochavaDelivery(topics, registryConfig, clientConfig, settings);
    }

    public KochavaDeliverySink sink() {
        return sink;
    }

    public DeliveryStatistics statistics() {
        return statistics;
    }

    /** Lets requests in flight end for as long as one attempt may take, then aborts the rest (left in outboxes). */
    @Override
    public void close() {
        deliverer.close();
    }
}
