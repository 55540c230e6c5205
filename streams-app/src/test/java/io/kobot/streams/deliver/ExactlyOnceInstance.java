package io.kobot.streams.deliver;

import static org.awaitility.Awaitility.await;

import io.kobot.streams.deadletter.DeadLetterHandlers;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.streams.topology.PipelineSerdes;
import io.kobot.testing.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One pipeline instance in the ITs on a real broker: its Kafka Streams settings (exactly-once, quick commits, the
 * dead-letter handlers), its crash.
 */
public final class ExactlyOnceInstance {
    private ExactlyOnceInstance() {}

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
    static void crash(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ZERO));
        await().atMost(30, TimeUnit.SECONDS).until(() -> streams.state() == KafkaStreams.State.NOT_RUNNING);
    }
}
