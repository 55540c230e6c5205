package io.kobot.demo;

import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.streams.topology.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what the pipeline committed to the engagements and dead-letter topics (read_committed, as a downstream
 * consumer would) and counts it, recording for each engagement the time from its {@code ingested_at} until it
 * could be read.
 */
final class OutputWatcher implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicNames topics;
    private final SpecificAvroSerde<Engagement> engagementSerde;
    private final SpecificAvroSerde<DeadLetter> deadLetterSerde;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final List<Long> latenciesMillis = new ArrayList<>();
    private final Map<String, Integer> deadLettersByReason = new TreeMap<>();
    private final Map<String, Long> ingestedAtById = new HashMap<>();
    private int engagements;

    OutputWatcher(String bootstrapServers, TopicNames topics, Map<String, ?> registryConfig) {
        this.consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.topics = topics;
        this.engagementSerde = SpecificAvroSerde.of(Engagement.class, registryConfig, false);
        this.deadLetterSerde = SpecificAvroSerde.of(DeadLetter.class, registryConfig, false);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.engagements(), topics.deadLetters())) {
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::poll, "demo-output-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        while (running.get()) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                long now = System.currentTimeMillis();
                if (record.topic().equals(topics.engagements())) {
                    Engagement engagement = engagementSerde.deserializer().deserialize(record.topic(), record.value());
                    synchronized (this) {
                        engagements++;
                        latenciesMillis.add(now - engagement.getIngestedAt().toEpochMilli());
                        ingestedAtById.put(
                                engagement.getInteractionId(),
                                engagement.getIngestedAt().toEpochMilli());
                    }
                } else {
                    DeadLetter deadLetter = deadLetterSerde.deserializer().deserialize(record.topic(), record.value());
                    synchronized (this) {
                        deadLettersByReason.merge(deadLetter.getReasonCode(), 1, Integer::sum);
                    }
                }
            }
        }
        consumer.close();
    }

    synchronized int engagements() {
        return engagements;
    }

    synchronized int deadLetters() {
        return deadLettersByReason.values().stream().mapToInt(Integer::intValue).sum();
    }

    synchronized Map<String, Integer> deadLettersByReason() {
        return new TreeMap<>(deadLettersByReason);
    }

    /** When the engagement with this interaction id was ingested, if it has been read. */
    synchronized Long ingestedAt(String interactionId) {
        return ingestedAtById.get(interactionId);
    }

    synchronized List<Long> latenciesMillis() {
        return List.copyOf(latenciesMillis);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5_000);
        engagementSerde.close();
        deadLetterSerde.close();
    }
}
