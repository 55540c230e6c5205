package io.kobot.faults;

import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.Engagement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the engagements topic by interaction id, as the Kafka Connect sink would read it: with
 * {@code delivery.mode=connect} the topic is what the pipeline delivers.
 */
final class EngagementCounter {
    private static final Duration READ_TO_END = Duration.ofSeconds(60);

    private final Map<String, Object> clientProperties;
    private final String registryUrl;
    private final String topic;

    EngagementCounter(Map<String, Object> clientProperties, String registryUrl, String topic) {
        this.clientProperties = clientProperties;
        this.registryUrl = registryUrl;
        this.topic = topic;
    }

    /** Interaction id → records, over the whole topic up to its last stable offset. */
    Map<String, Long> byInteractionId() {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        Map<String, Long> counts = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                SpecificAvroSerde<Engagement> serde =
                        SpecificAvroSerde.of(Engagement.class, Map.of("schema.registry.url", registryUrl), false)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + READ_TO_END.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end within " + READ_TO_END);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String id = serde.deserializer()
                            .deserialize(topic, record.value())
                            .getInteractionId();
                    counts.merge(id, 1L, Long::sum);
                }
            }
        }
        return counts;
    }
}
