package io.kobot.streams.app;

import io.kobot.streams.config.PipelineConfig;
import io.kobot.streams.deadletter.DeadLetterHandlers;
import io.kobot.streams.metrics.PipelineMetrics;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The Kafka Streams and admin client configurations derived from the pipeline configuration. Public so that the
 * benchmark runs the topology with exactly the settings the application gives it.
 */
public final class StreamsProperties {
    private StreamsProperties() {
    }

    /** Pass-through {@code kafka.} keys first, so the settings the pipeline owns always win. */
    public static Properties streams(PipelineConfig config, PipelineMetrics metrics) {
        Properties props = new Properties();
        props.putAll(config.kafkaProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.numStreamThreads());
        config.stateDir().ifPresent(dir -> props.put(StreamsConfig.STATE_DIR_CONFIG, dir));
        // The topology names every topic, store and processor; Streams refuses to start if one is generated,
        // because a generated name changes with the topology and would orphan state on upgrade.
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.putAll(config.schemaRegistryConfig());
        props.putAll(DeadLetterHandlers.streamsConfig(config.topicNames().deadLetters(), metrics));
        return props;
    }

    /** Admin client settings: the connection and security keys of the pass-through, plus {@code admin.*}. */
    static Map<String, Object> admin(PipelineConfig config) {
        Map<String, Object> props = new HashMap<>();
        config.kafkaProperties().forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                props.put(key, value);
            }
        });
        config.kafkaProperties().forEach((key, value) -> {
            if (key.startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX)) {
                props.put(key.substring(StreamsConfig.ADMIN_CLIENT_PREFIX.length()), value);
            }
        });
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return props;
    }
}
