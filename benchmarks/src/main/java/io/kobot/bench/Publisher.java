package io.kobot.bench;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Publishes the workload as bot servers and mobile apps would: records are encoded as they are sent. */
final class Publisher implements AutoCloseable {
    private final Workload workload;
    private final RecordEncoder encoder;
    private final KafkaProducer<byte[], byte[]> producer;

    Publisher(String bootstrapServers, Workload workload, RecordEncoder encoder) {
        this.workload = workload;
        this.encoder = encoder;
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.LINGER_MS_CONFIG,
                        5,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        128 * 1024),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** The identity links of the linked users, one each. */
    int publishLinks(String topic) {
        int published = 0;
        long now = System.currentTimeMillis();
        for (int user = 0; user < workload.users(); user++) {
            if (workload.hasLink(user)) {
                producer.send(new ProducerRecord<>(
                        topic,
                        Workload.fbUserId(user).getBytes(StandardCharsets.UTF_8),
                        encoder.link(topic, user, now)));
                published++;
            }
        }
        producer.flush();
        return published;
    }

    /** Positions {@code [from, to)} as fast as the producer takes them. */
    void publish(String topic, int from, int to) {
        for (int position = from; position < to; position++) {
            send(topic, position, System.currentTimeMillis());
        }
        producer.flush();
    }

    /** The same on a new thread, for records published while a phase runs. */
    Thread publishInBackground(String topic, int from, int to) {
        Thread thread = new Thread(() -> publish(topic, from, to), "publisher");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Positions {@code [from, to)} at a fixed rate, each stamped with the time it is sent (its record timestamp
     * and occurred_at), which goes into {@code publishedAt[position]}.
     */
    void publishPaced(String topic, int from, int to, int perSecond, long[] publishedAt) {
        long start = System.nanoTime();
        for (int position = from; position < to; position++) {
            long due = start + (position - from) * TimeUnit.SECONDS.toNanos(1) / perSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long now = System.currentTimeMillis();
            publishedAt[position] = now;
            send(topic, position, now);
        }
        producer.flush();
    }

    private void send(String topic, int position, long now) {
        Workload.Interaction interaction = workload.at(position);
        producer.send(new ProducerRecord<>(
                topic, null, now, RecordEncoder.key(interaction), encoder.value(topic, interaction, now)));
    }

    @Override
    public void close() {
        producer.close();
    }
}
