package io.kobot.faults;

import io.kobot.registry.SpecificAvroSerde;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts an Avro topic by one field, as a downstream reader sees it: read_committed, so records of transactions
 * that a killed instance left open or that were aborted do not count. The dead-letter topic is counted by reason
 * code; with {@code delivery.mode=connect} the engagements topic, by interaction id, is what the pipeline delivers.
 */
final class TopicCounter<T extends SpecificRecord> {
    private static final Duration READ_TO_END = Duration.ofSeconds(60);

    private final Map<String, Object> clientProperties;
    private final String registryUrl;
    private final String topic;
    private final Class<T> type;
    private final Function<T, String> field;

    TopicCounter(
            Map<String, Object> clientProperties,
            String registryUrl,
            String topic,
            Class<T> type,
            Function<T, String> field) {
        this.clientProperties = clientProperties;
        this.registryUrl = registryUrl;
        this.topic = topic;
        this.type = type;
        this.field = field;
    }

    /** Field value → records, over the whole topic up to its last stable offset. */
    Map<String, Long> count() {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        Map<String, Long> counts = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                SpecificAvroSerde<T> serde =
                        SpecificAvroSerde.of(type, Map.of("schema.registry.url", registryUrl), false)) {
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
                    T value = serde.deserializer().deserialize(topic, record.value());
                    counts.merge(field.apply(value), 1L, Long::sum);
                }
            }
        }
        return counts;
    }
}
