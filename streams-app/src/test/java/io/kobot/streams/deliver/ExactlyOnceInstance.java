package io.kobot.streams.deliver;

import static org.awaitility.Awaitility.await;

import io.kobot.kochava.KochavaClientConfig;
import io.kobot.kochava.KochavaDeliverer;
import io.kobot.streams.deadletter.DeadLetterHandlers;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.streams.topology.PipelineSerdes;
import io.kobot.streams.topology.PipelineTopology;
import io.kobot.streams.topology.TopicNames;
import io.kobot.streams.topology.TopologySettings;
import io.kobot.testing.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One pipeline instance in the ITs on a real broker: the whole topology with its Kochava delivery sink, its Kafka
 * Streams settings (exactly-once, quick commits, the dead-letter handlers), its crash.
 */
public final class ExactlyOnceInstance implements AutoCloseable {
    private final KafkaStreams streams;
    private final KochavaDeliverer deliverer;
    private final DeliveryStatistics statistics;
    private final PipelineMetrics metrics;
    private final PipelineSerdes serdes;

    private ExactlyOnceInstance(
            KafkaStreams streams,
            KochavaDeliverer deliverer,
            DeliveryStatistics statistics,
            PipelineMetrics metrics,
            PipelineSerdes serdes) {
        this.streams = streams;
        this.deliverer = deliverer;
        this.statistics = statistics;
        this.metrics = metrics;
        this.serdes = serdes;
    }

    /**
     * Starts the pipeline on {@code topics} ({@code partitions} each), delivering through a Kochava client made from
     * {@code deliveryConfig} (client and delivery keys).
     */
    static ExactlyOnceInstance start(
            KafkaBroker broker,
            String applicationId,
            Path stateDir,
            TopicNames topics,
            int partitions,
            Map<String, ?> deliveryConfig,
            Map<String, ?> registryConfig) {
        DeliveryStatistics statistics = new DeliveryStatistics();
        KochavaClientConfig clientConfig = KochavaClientConfig.from(deliveryConfig);
        KochavaDeliverer deliverer = new KochavaDeliverer(clientConfig, statistics);
        PipelineMetrics metrics = new PipelineMetrics();
        KochavaDeliverySink sink =
                new KochavaDeliverySink(topics, DeliverySettings.from(deliveryConfig), deliverer, statistics);
        PipelineSerdes serdes = new PipelineSerdes(registryConfig);
        Properties props = streamsProperties(broker, applicationId, stateDir, topics.deadLetters(), metrics, serdes);
        TopologySettings settings = TopologySettings.DEFAULTS
                .withTopics(topics)
                .withSourcePartitions(partitions)
                .withPingAllowedHosts(clientConfig.pingAllowedHosts());
        KafkaStreams streams = new KafkaStreams(new PipelineTopology(settings, serdes, metrics, sink).build(), props);
        streams.start();
        return new ExactlyOnceInstance(streams, deliverer, statistics, metrics, serdes);
    }

    KafkaStreams streams() {
        return streams;
    }

    DeliveryStatistics statistics() {
        return statistics;
    }

    PipelineMetrics metrics() {
        return metrics;
    }

    /** {@link #crash(KafkaStreams)}, and the Kochava client drops what it was sending. */
    void crash() {
        crash(streams);
        deliverer.close(Duration.ZERO);
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(10));
        deliverer.close(Duration.ofSeconds(1));
        serdes.close();
    }

    public static Properties streamsProperties(
            KafkaBroker broker,
            String applicationId,
            Path stateDir,
            String deadLetterTopic,
            PipelineMetrics metrics,
            PipelineSerdes serdes) {
        Properties props = new Properties();
        props.putAll(broker.clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.putAll(DeadLetterHandlers.streamsConfig(
                deadLetterTopic, metrics, serdes.deadLetter().serializer()));
        return props;
    }

    /**
     * Closes at once, like a crash would (nothing flushed, no commit), leaving the group so that the next instance
     * gets the tasks without a session timeout; returns once the threads have let go of the state directory.
     */
    public static void crash(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ZERO));
        await().atMost(30, TimeUnit.SECONDS).until(() -> streams.state() == KafkaStreams.State.NOT_RUNNING);
    }
}
