package io.kobot.streams.app.replay;

import io.kobot.streams.config.PipelineConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The replay's Kafka clients, on the pipeline's connection and security settings (the {@code kafka.} pass-through,
 * with {@code consumer.} / {@code producer.} prefixed keys for one side only).
 */
public final class ReplayClients {
    private final PipelineConfig config;
    private final String groupId;

    /** @param name the replay's name: its progress is kept under {@code <application.id>-replay-<name>} */
    public ReplayClients(PipelineConfig config, String name) {
        this.config = config;
        this.groupId = config.applicationId() + "-replay-" + name;
    }

    public String groupId() {
        return groupId;
    }

    KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> props = common(ConsumerConfig.configNames(), StreamsConfig.CONSUMER_PREFIX);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Dead letters are written in the pipeline's transactions: only committed ones exist.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    KafkaProducer<byte[], byte[]> transactionalProducer() {
        Map<String, Object> props = common(ProducerConfig.configNames(), StreamsConfig.PRODUCER_PREFIX);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, groupId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private Map<String, Object> common(Set<String> names, String prefix) {
        Map<String, Object> props = new HashMap<>();
        config.kafkaProperties().forEach((key, value) -> {
            if (names.contains(key)) {
                props.put(key, value);
            }
        });
        config.kafkaProperties().forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                props.put(key.substring(prefix.length()), value);
            }
        });
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return props;
    }
}
