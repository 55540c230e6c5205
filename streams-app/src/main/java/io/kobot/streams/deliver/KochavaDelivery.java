package io.kobot.streams.deliver;

import io.kobot.config.ConfigDefs;
import io.kobot.config.ConfigProblem;
import io.kobot.config.ConfigValues;
import io.kobot.config.InvalidConfigurationException;
import io.kobot.kochava.ConnectionCounts;
import io.kobot.kochava.KochavaClientConfig;
import io.kobot.kochava.KochavaDeliverer;
import io.kobot.kochava.KochavaRequest;
import io.kobot.streams.topology.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-topology delivery for one application instance: one deliverer (one connection pool) shared by every task,
 * the sink to pass to the topology, and the statistics to bind to metrics. Close it after
 * {@code KafkaStreams.close()}: closing first would abort deliveries of tasks still running.
 */
public final class KochavaDelivery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KochavaDelivery.class);

    private final DeliveryStatistics statistics = new DeliveryStatistics();
    private final KochavaDeliverer deliverer;
    private final KochavaDeliverySink sink;
    private final DeliverySettings settings;

    private KochavaDelivery(TopicNames topics, KochavaClientConfig clientConfig, DeliverySettings settings) {
        this.deliverer = new KochavaDeliverer(clientConfig, statistics);
        this.sink = new KochavaDeliverySink(topics, settings, deliverer, statistics);
        this.settings = settings;
    }

    /**
     * @param deliveryProperties the {@code kochava.*} and {@code delivery.*} keys, for the client and the sink
     * @throws InvalidConfigurationException listing every invalid value of both
     */
    public static KochavaDelivery create(TopicNames topics, Map<String, ?> deliveryProperties) {
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigValues values = ConfigValues.parse(
                ConfigDefs.compose(KochavaClientConfig.CONFIG_DEF, DeliverySettings.CONFIG_DEF),
                deliveryProperties,
                problems);
        KochavaClientConfig.checkAcross(values, problems);
        DeliverySettings.checkAcross(values, problems);
        InvalidConfigurationException.throwIfAny(problems);
        return create(topics, KochavaClientConfig.from(values), DeliverySettings.from(values));
    }

    /** With the client's and the sink's settings already read (by the pipeline's configuration). */
    public static KochavaDelivery create(
            TopicNames topics, KochavaClientConfig clientConfig, DeliverySettings settings) {
        return new KochavaDelivery(topics, clientConfig, settings);
    }

    public KochavaDeliverySink sink() {
        return sink;
    }

    public DeliveryStatistics statistics() {
        return statistics;
    }

    /** The connections of the client's pool for {@code kind}'s requests, for monitoring. */
    public ConnectionCounts connections(KochavaRequest.Kind kind) {
        return deliverer.connections(kind);
    }

    /**
     * The first step of a clean stop, while Kafka Streams still runs: no task sends anything more, requests in
     * flight get up to {@code delivery.drain-timeout} (at most half of {@code limit}) to end, with no retry, and what has
     * not ended by then is aborted; then the stream threads write the outcomes and are asked to commit them. So
     * {@code KafkaStreams.close()} afterwards commits every answer Kochava gave, and a restart sends again only
     * what had no answer. Engagements not yet sent stay in the outboxes.
     *
     * @param limit the whole step's bound: the stream threads get the rest of it to write the outcomes
     * @return whether every outcome was written in time
     */
    public boolean quiesce(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        Duration drain = settings.drainTimeout().compareTo(limit.dividedBy(2)) < 0
                ? settings.drainTimeout()
                : limit.dividedBy(2);
        sink.gate().close();
        deliverer.close(drain);
        // Aborted deliveries complete at once; the stream threads apply everything within a punctuation or two.
        boolean settled = sink.gate().awaitSettled(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        if (!settled) {
            log.warn(
                    "{} delivery outcomes were not written before shutdown; those engagements are sent again "
                            + "after the restart",
                    sink.gate().unapplied());
        }
        return settled;
    }

    /** Lets requests in flight end for as long as one attempt may take, then aborts the rest (left in outboxes). */
    @Override
    public void close() {
        deliverer.close();
    }
}
