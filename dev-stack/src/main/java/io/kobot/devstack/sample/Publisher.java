package io.kobot.devstack.sample;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes sample records as bot servers and mobile apps would, and keeps in its {@link #ledger()} what the broker
 * acknowledged. Records are taken from their iterator only when they are sent, so a lazy iterator encodes each
 * record as it goes out and stamps it with the time it is sent.
 */
public final class Publisher implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final PublishLedger ledger;

    private Publisher(Options options) {
        this.producer = new KafkaProducer<>(options.properties, new ByteArraySerializer(), new ByteArraySerializer());
        this.ledger = new PublishLedger(options.keepIds);
    }

    /** A producer on {@code clientProperties} (bootstrap.servers and any security settings). */
    public static Options to(Map<String, ?> clientProperties) {
        return new Options(clientProperties);
    }

    public static Options to(String bootstrapServers) {
        return new Options(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    public PublishLedger ledger() {
        return ledger;
    }

    /** Sends everything as fast as the producer takes it, then waits for the acknowledgements. */
    public void publish(String topic, Iterator<SampleRecord> records) {
        records.forEachRemaining(record -> send(topic, record));
        producer.flush();
    }

    public void publish(String topic, Iterable<SampleRecord> records) {
        publish(topic, records.iterator());
    }

    /** The same on a thread of its own; the future ends once all are acknowledged. */
    public CompletableFuture<Void> publishInBackground(String topic, Iterator<SampleRecord> records) {
        return CompletableFuture.runAsync(() -> publish(topic, records), Publisher::daemon);
    }

    /**
     * Sends at {@code perSecond} records a second on a thread of its own, each record taken when it is due; the
     * future ends once all are acknowledged.
     */
    public CompletableFuture<Void> publishAtRate(String topic, Iterator<SampleRecord> records, int perSecond) {
        return CompletableFuture.runAsync(
                () -> {
                    long start = System.nanoTime();
                    for (long sent = 0; records.hasNext(); sent++) {
                        long wait = start + sent * TimeUnit.SECONDS.toNanos(1) / perSecond - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        send(topic, records.next());
                    }
                    producer.flush();
                },
                Publisher::daemon);
    }

    private void send(String topic, SampleRecord record) {
        ledger.sent();
        producer.send(
                new ProducerRecord<>(topic, null, record.timestampMillis(), record.key(), record.value()),
                (metadata, error) -> ledger.answered(record, metadata, error));
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "sample-publisher");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        producer.close();
    }

    /**
     * The producer's settings. Defaults: acks=all and idempotence (as a careful bot server publishes), linger 5 ms,
     * Kafka's default partitioner (murmur2 of the key), and ids, times and partitions kept in the ledger.
     */
    public static final class Options {
        private final Map<String, Object> properties = new HashMap<>();
        private boolean keepIds = true;

        private Options(Map<String, ?> clientProperties) {
            properties.putAll(clientProperties);
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        }

        /** acks=all or 1 or 0; anything but all turns idempotence off, as the producer requires. */
        public Options acks(String acks) {
            properties.put(ProducerConfig.ACKS_CONFIG, acks);
            if (!"all".equals(acks) && !"-1".equals(acks)) {
                properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
            }
            return this;
        }

        public Options idempotence(boolean idempotence) {
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotence);
            return this;
        }

        /** Throughput: how long the producer waits to fill a batch, and how large a batch may grow. */
        public Options batching(int lingerMs, int batchSizeBytes) {
            properties.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
            properties.put(ProducerConfig.BATCH_SIZE_CONFIG, batchSizeBytes);
            return this;
        }

        /** Another partitioner, e.g. {@link Crc32Partitioner} to place records as librdkafka clients do. */
        public Options partitioner(Class<? extends Partitioner> partitioner) {
            properties.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, partitioner.getName());
            return this;
        }

        /** Any other producer setting. */
        public Options set(String key, Object value) {
            properties.put(key, value);
            return this;
        }

        /** Whether the ledger keeps every valid interaction's id, acknowledgement time and partition. */
        public Options keepIds(boolean keepIds) {
            this.keepIds = keepIds;
            return this;
        }

        public Publisher open() {
            return new Publisher(this);
        }
    }
}
