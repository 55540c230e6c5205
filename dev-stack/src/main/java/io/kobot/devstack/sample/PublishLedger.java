package io.kobot.devstack.sample;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * What a {@link Publisher} published and what the broker acknowledged: only an acknowledged interaction can be
 * counted lost. Counts always; ids, times and partitions only when the publisher keeps them (a benchmark of a
 * million records does without).
 */
public final class PublishLedger {
    private final boolean keepIds;
    private final LongAdder published = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> acceptedAtMillis = new ConcurrentHashMap<>();
    private final Map<String, Integer> partitionOf = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> badAccepted = new ConcurrentHashMap<>();

    PublishLedger(boolean keepIds) {
        this.keepIds = keepIds;
    }

    void sent() {
        published.increment();
    }

    void answered(SampleRecord record, RecordMetadata metadata, Exception error) {
        if (error != null) {
            failed.increment();
            return;
        }
        acknowledged.increment();
        if (!record.valid()) {
            badAccepted.computeIfAbsent(record.kind(), kind -> new AtomicLong()).incrementAndGet();
        } else if (keepIds) {
            acceptedAtMillis.putIfAbsent(record.interactionId(), System.currentTimeMillis());
            partitionOf.putIfAbsent(record.interactionId(), metadata.partition());
            accepted.add(record.interactionId());
        }
    }

    /** Records handed to the producer. */
    public long published() {
        return published.sum();
    }

    /** Records the broker acknowledged, valid or bad. */
    public long acknowledged() {
        return acknowledged.sum();
    }

    /** Sends that failed at the producer: not accepted. */
    public long failed() {
        return failed.sum();
    }

    /** Distinct valid interactions the broker acknowledged. */
    public Set<String> accepted() {
        return Set.copyOf(accepted);
    }

    /** When the broker acknowledged each valid interaction (epoch milliseconds, first copy). */
    public Map<String, Long> acceptedAt() {
        return Map.copyOf(acceptedAtMillis);
    }

    /** The partition each valid interaction went to (first copy). */
    public Map<String, Integer> partitions() {
        return Map.copyOf(partitionOf);
    }

    /** Bad records the broker acknowledged. */
    public long badAccepted() {
        return badAccepted.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public Map<String, Long> badAcceptedByKind() {
        Map<String, Long> byKind = new TreeMap<>();
        badAccepted.forEach((kind, count) -> byKind.put(kind, count.get()));
        return byKind;
    }
}
