package io.kobot.streams.deliver;

import io.kobot.streams.deadletter.DeadLetterHandlers;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.streams.topology.PipelineSerdes;
import io.kobot.testing.KafkaBroker;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams settings of one pipeline instance in the delivery ITs: exactly-once, quick commits. */
final class ExactlyOnceInstance {
    private ExactlyOnceInstance() {}

    static Properties streamsProperties(
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
}
