package io.kobot.faults;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes to the interactions topic as a bot server would (idempotent, acks=all), and keeps what the broker
 * accepted: only an acknowledged interaction can be counted lost. Bad records are counted per kind.
 */
final class Publisher implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> acceptedAtMillis = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> badAccepted = new ConcurrentHashMap<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    Publisher(Map<String, Object> clientProperties, String topic) {
        Map<String, Object> props = new java.util.HashMap<>(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    /** Sends everything as fast as the producer takes it, then waits for the acknowledgements. */
    void publish(Iterator<OutgoingRecord> records) {
        records.forEachRemaining(this::send);
        producer.flush();
    }

    /** Sends at about {@code perSecond} records a second on another thread; the future ends once all are acked. */
    CompletableFuture<Void> publishAtRate(Iterator<OutgoingRecord> records, int perSecond) {
        return CompletableFuture.runAsync(() -> {
            long start = System.nanoTime();
            for (long sent = 0; records.hasNext(); sent++) {
                long due = start + TimeUnit.SECONDS.toNanos(sent) / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 1_000_000) {
                    sleepNanos(wait);
                }
                send(records.next());
            }
            producer.flush();
        });
    }

    private void send(OutgoingRecord record) {
        published.incrementAndGet();
        producer.send(new ProducerRecord<>(topic, record.key(), record.value()), (metadata, error) -> {
            if (error != null) {
                failed.incrementAndGet();
            } else if (record.valid()) {
                acceptedAtMillis.putIfAbsent(record.interactionId(), System.currentTimeMillis());
                accepted.add(record.interactionId());
            } else {
                badAccepted
                        .computeIfAbsent(record.kind(), kind -> new AtomicLong())
                        .incrementAndGet();
            }
        });
    }

    /** When the broker acknowledged each valid interaction (epoch milliseconds, first copy). */
    Map<String, Long> acceptedAt() {
        return Map.copyOf(acceptedAtMillis);
    }

    /** Distinct valid interactions the broker acknowledged. */
    Set<String> accepted() {
        return Set.copyOf(accepted);
    }

    long badAccepted() {
        return badAccepted.values().stream().mapToLong(AtomicLong::get).sum();
    }

    Map<String, Long> badAcceptedByKind() {
        Map<String, Long> byKind = new java.util.TreeMap<>();
        badAccepted.forEach((kind, count) -> byKind.put(kind, count.get()));
        return byKind;
    }

    long published() {
        return published.get();
    }

    long failed() {
        return failed.get();
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
