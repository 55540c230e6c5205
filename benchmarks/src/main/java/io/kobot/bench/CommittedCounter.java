package io.kobot.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Counts the committed records of a topic from its start, on its own thread, as a downstream reader sees them. */
final class CommittedCounter implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final long expected;
    private final AtomicLong count = new AtomicLong();
    private final CountDownLatch reached = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long reachedAtNanos;

    CommittedCounter(String bootstrapServers, String topic, long expected) {
        this.expected = expected;
        this.consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        5_000),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "committed-counter-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            if (count.addAndGet(consumer.poll(Duration.ofMillis(20)).count()) >= expected && reached.getCount() > 0) {
                reachedAtNanos = System.nanoTime();
                reached.countDown();
            }
        }
    }

    /** The {@link System#nanoTime()} at which the expected count was seen; fails after {@code timeout}. */
    long awaitExpected(Duration timeout) throws InterruptedException {
        if (!reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Only " + count.get() + " of " + expected + " records within " + timeout);
        }
        return reachedAtNanos;
    }

    long count() {
        return count.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
        consumer.close();
    }
}
