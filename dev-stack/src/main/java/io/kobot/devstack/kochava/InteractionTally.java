package io.kobot.devstack.kochava;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Successful answers per interaction id, for any id: how many (repeats are duplicates), when first, every receipt
 * in order, the busiest second; failed answers and unattributed requests apart. Holds an entry per id and per
 * receipt, so it suits runs of up to some hundred thousand requests (the fault suite); {@link PositionTally} counts
 * millions.
 */
public final class InteractionTally implements ReceiptCounter {

    /** One successful answer: which interaction, and when ({@link System#nanoTime()}). */
    public record Receipt(String id, long nanos) {}

    private final Map<String, AtomicLong> delivered = new ConcurrentHashMap<>();
    private final Map<String, Long> firstDeliveredAtMillis = new ConcurrentHashMap<>();
    private final Queue<Receipt> receipts = new ConcurrentLinkedQueue<>();
    private final AtomicLong failedAnswers = new AtomicLong();
    private final AtomicLong unattributed = new AtomicLong();
    private long second;
    private long inSecond;
    private long peakPerSecond;

    @Override
    public void received(String id, long epochMillis, long nanoTime) {
        firstDeliveredAtMillis.putIfAbsent(id, epochMillis);
        delivered.computeIfAbsent(id, key -> new AtomicLong()).incrementAndGet();
        receipts.add(new Receipt(id, nanoTime));
        tick(epochMillis / 1000);
    }

    @Override
    public void unattributed() {
        unattributed.incrementAndGet();
    }

    @Override
    public void failedAnswer() {
        failedAnswers.incrementAndGet();
    }

    private synchronized void tick(long nowSecond) {
        if (nowSecond != second) {
            second = nowSecond;
            inSecond = 0;
        }
        inSecond++;
        peakPerSecond = Math.max(peakPerSecond, inSecond);
    }

    /** When each interaction was first answered with success (epoch milliseconds). */
    public Map<String, Long> firstDeliveredAt() {
        return Map.copyOf(firstDeliveredAtMillis);
    }

    /** Successful answers in all, repeats included. */
    public long successfulAnswers() {
        return delivered.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Successful answers per interaction id, as a snapshot. */
    public Map<String, Long> deliveries() {
        Map<String, Long> snapshot = new HashMap<>();
        delivered.forEach((id, count) -> snapshot.put(id, count.get()));
        return snapshot;
    }

    /** Every successful answer so far, duplicates included, in about the order given. */
    public List<Receipt> receipts() {
        return List.copyOf(receipts);
    }

    public int distinctDelivered() {
        return delivered.size();
    }

    /** Successful answers beyond the first per interaction. */
    public long duplicates() {
        return successfulAnswers() - distinctDelivered();
    }

    public long failedAnswers() {
        return failedAnswers.get();
    }

    public long unattributedRequests() {
        return unattributed.get();
    }

    /** The most successful answers given within any one wall-clock second so far. */
    public synchronized long peakPerSecond() {
        return peakPerSecond;
    }
}
