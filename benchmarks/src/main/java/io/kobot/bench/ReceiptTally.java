package io.kobot.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the receiver saw in one phase, per interaction id (the workload position of its first occurrence): how
 * often, and when first. Distinct ids short of the expected count are lost deliveries; extra receipts are
 * duplicates.
 */
final class ReceiptTally {
    private final AtomicIntegerArray counts;
    private final AtomicLongArray firstReceivedAt;
    private final AtomicInteger distinct = new AtomicInteger();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder unknown = new LongAdder();
    private final Object reached = new Object();
    private final int expected;

    ReceiptTally(int ids, int expected) {
        this.counts = new AtomicIntegerArray(ids);
        this.firstReceivedAt = new AtomicLongArray(ids);
        this.expected = expected;
    }

    void received(int id, long nowMillis) {
        if (id < 0 || id >= counts.length()) {
            unknown.increment();
            return;
        }
        if (counts.getAndIncrement(id) > 0) {
            duplicates.increment();
            return;
        }
        firstReceivedAt.set(id, nowMillis);
        if (distinct.incrementAndGet() == expected) {
            synchronized (reached) {
                reached.notifyAll();
            }
        }
    }

    /** A request the receiver could not attribute to an interaction. */
    void unattributed() {
        unknown.increment();
    }

    /** Waits until every expected id has been seen; returns whether it was in time. */
    boolean awaitAll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (reached) {
            while (distinct.get() < expected) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(reached, left);
            }
        }
        return true;
    }

    int distinct() {
        return distinct.get();
    }

    int expected() {
        return expected;
    }

    long lost() {
        return expected - distinct.get();
    }

    long duplicates() {
        return duplicates.sum();
    }

    long unknown() {
        return unknown.sum();
    }

    /** When {@code id} was first received, in epoch millis; 0 if never. */
    long firstReceivedAt(int id) {
        return firstReceivedAt.get(id);
    }
}
