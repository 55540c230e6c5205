package io.kobot.streams.topology;

import io.kobot.registry.SpecificAvroSerde;
import io.kobot.testing.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads what the topology committed to a topic, for the integration tests on a real broker. */
final class CommittedRecords {
    /** How long reading goes on after the expected count arrived, so that extra records are caught too. */
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private CommittedRecords() {}

    /** The topic's committed Avro values, once {@code expected} arrived (and {@link #SETTLE} longer). */
    static <T extends SpecificRecord> List<T> avro(
            KafkaBroker broker,
            String topic,
            Class<T> type,
            Map<String, ?> registryConfig,
            int expected,
            Duration timeout) {
        SpecificAvroSerde<T> serde = SpecificAvroSerde.of(type, registryConfig, false);
        return read(broker, topic, expected, timeout).stream()
                .map(r -> serde.deserializer().deserialize(r.topic(), r.value()))
                .toList();
    }

    /** Reads the topic from the start until {@code expected} records, then a little longer to catch extras. */
    static List<ConsumerRecord<byte[], byte[]>> read(KafkaBroker broker, String topic, int expected, Duration timeout) {
        Map<String, Object> props = new HashMap<>(broker.clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                if (records.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + SETTLE.toNanos();
                }
            }
        }
        return records;
    }
}
