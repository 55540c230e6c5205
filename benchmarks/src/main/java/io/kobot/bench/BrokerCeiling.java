package io.kobot.bench;

import io.kobot.devstack.sample.Interactions;
import io.kobot.devstack.sample.Publisher;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * (a) What the broker and the Kafka clients sustain on this machine: a plain loop copying every input record to
 * the same partition of another topic, with the producer settings Kafka Streams gives its own producers.
 */
final class BrokerCeiling {
    private final String bootstrapServers;
    private final Publisher publisher;
    private final Interactions workload;

    BrokerCeiling(String bootstrapServers, Publisher publisher, Interactions workload) {
        this.bootstrapServers = bootstrapServers;
        this.publisher = publisher;
        this.workload = workload;
    }

    Throughput run(String input, String output) {
        int records = workload.positions();
        publisher.publish(input, workload.records(input, 0, records / 2));
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer();
                KafkaProducer<byte[], byte[]> producer = producer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(input).stream()
                    .map(info -> new TopicPartition(input, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long start = System.nanoTime();
            CompletableFuture<Void> rest =
                    publisher.publishInBackground(input, workload.records(input, records / 2, records));
            long copied = 0;
            while (copied < records) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    producer.send(
                            new ProducerRecord<>(
                                    output, record.partition(), record.timestamp(), record.key(), record.value()),
                            (metadata, error) -> {
                                if (error != null) {
                                    failure.compareAndSet(null, error);
                                }
                                acked.incrementAndGet();
                            });
                    copied++;
                }
            }
            producer.flush();
            Throughput throughput = Throughput.since(acked.get(), start);
            rest.join();
            if (failure.get() != null) {
                throw new IllegalStateException("The copy failed", failure.get());
            }
            return throughput;
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Kafka Streams' producer configuration (acks, idempotence, batching, compression), minus transactions. */
    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> config = new HashMap<>(new StreamsConfig(Map.of(
                        StreamsConfig.APPLICATION_ID_CONFIG,
                        "copy",
                        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                        StreamsConfig.EXACTLY_ONCE_V2))
                .getProducerConfigs("copy"));
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
