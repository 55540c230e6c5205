package io.kobot.streams.deadletter;

import io.kobot.streams.metrics.PipelineMetrics;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/** The Streams configuration that installs the dead-letter exception handlers. */
public final class DeadLetterHandlers {
    /** Streams config key holding the dead-letter topic name. */
    public static final String TOPIC_CONFIG = "kobot.dead-letter.topic";

    private DeadLetterHandlers() {}

    public static Map<String, Object> streamsConfig(String deadLetterTopic, PipelineMetrics metrics) {
        return Map.of(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProcessingExceptionHandler.class,
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationExceptionHandler.class,
                // Also for the KTable's source processing, which Kafka 5.0 will do by default.
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG,
                true,
                TOPIC_CONFIG,
                deadLetterTopic,
                PipelineMetrics.CONFIG_KEY,
                metrics);
    }
}
