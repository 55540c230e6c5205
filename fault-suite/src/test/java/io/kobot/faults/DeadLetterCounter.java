package io.kobot.faults;

import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.DeadLetter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the dead-letter topic by reason code, as a downstream reader sees it: read_committed, so records of
 * transactions that a killed instance left open or that were aborted do not count.
 */
final class DeadLetterCounter {
    private final Map<String, Object> clientProperties;
    private final String registryUrl;
    private final String topic;

    DeadLetterCounter(Map<String, Object> clientProperties, String registryUrl, String topic) {
        this.clientProperties = clientProperties;
        this.registryUrl = registryUrl;
        this.topic = topic;
    }

    /** Reason code → count, over the whole topic up to its last stable offset. */
    Map<String, Long> byReason() {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        Map<String, Long> counts = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                SpecificAvroSerde<DeadLetter> serde =
                        SpecificAvroSerde.of(DeadLetter.class, Map.of("schema.registry.url", registryUrl), false)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end within 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String reason = serde.deserializer()
                            .deserialize(topic, record.value())
                            .getReasonCode();
                    counts.merge(reason, 1L, Long::sum);
                }
            }
        }
        return counts;
    }
}
