package io.kobot.streams.deadletter;

import io.kobot.schema.DeadLetter;
import io.kobot.streams.metrics.PipelineMetrics;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;

/** The Streams configuration that installs the dead-letter exception handlers. */
public final class DeadLetterHandlers {
    /** Streams config key holding the dead-letter topic name. */
    public static final String TOPIC_CONFIG = "kobot.dead-letter.topic";
    /** Streams config key holding the dead-letter serializer instance the handlers write with. */
    public static final String SERIALIZER_CONFIG = "kobot.dead-letter.serializer";

    private DeadLetterHandlers() {}

    /**
     * @param serializer the instance's dead-letter serializer, over the registry client its other serdes share
     *                   (the handlers open none of their own), closed by its owner after Kafka Streams
     */
    public static Map<String, Object> streamsConfig(
            String deadLetterTopic, PipelineMetrics metrics, Serializer<DeadLetter> serializer) {
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
                SERIALIZER_CONFIG,
                serializer,
                PipelineMetrics.CONFIG_KEY,
                metrics);
    }
}
