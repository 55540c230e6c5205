package io.kobot.devstack.kochava;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the stand-in saw, per interaction id when ids are positions {@code 0..ids-1} (the benchmark's workload): how
 * often, and when first, in flat arrays so that a million ids cost a few MiB. Distinct ids short of the expected
 * count are lost deliveries; extra receipts are duplicates; an id that is no position is unknown.
 */
public final class PositionTally implements ReceiptCounter {
    private final AtomicIntegerArray counts;
    private final AtomicLongArray firstReceivedAt;
    private final AtomicInteger distinct = new AtomicInteger();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder unknown = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Object reached = new Object();
    private final int expected;

    /**
     * @param ids how many positions there are
     * @param expected how many distinct ones should arrive
     */
    public PositionTally(int ids, int expected) {
        this.counts = new AtomicIntegerArray(ids);
        this.firstReceivedAt = new AtomicLongArray(ids);
        this.expected = expected;
    }

    @Override
    public void received(String id, long epochMillis, long nanoTime) {
        int position = parsePosition(id);
        if (position < 0 || position >= counts.length()) {
            unknown.increment();
            return;
        }
        if (counts.getAndIncrement(position) > 0) {
            duplicates.increment();
            return;
        }
        firstReceivedAt.set(position, epochMillis);
        if (distinct.incrementAndGet() == expected) {
            synchronized (reached) {
                reached.notifyAll();
            }
        }
    }

    @Override
    public void unattributed() {
        unknown.increment();
    }

    @Override
    public void failedAnswer() {
        failed.increment();
    }

    /** A non-negative decimal int; -1 for anything else. */
    private static int parsePosition(String id) {
        if (id.isEmpty() || id.length() > 9) {
            return -1;
        }
        int position = 0;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            position = position * 10 + (c - '0');
        }
        return position;
    }

    /** Waits until every expected id has been seen; returns whether it was in time. */
    public boolean awaitAll(long timeout, TimeUnit unit) throws InterruptedException {
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

    public int distinct() {
        return distinct.get();
    }

    public int expected() {
        return expected;
    }

    public long lost() {
        return expected - distinct.get();
    }

    public long duplicates() {
        return duplicates.sum();
    }

    /** Requests that named no position, or one out of range. */
    public long unknown() {
        return unknown.sum();
    }

    /** Requests answered with a failure. */
    public long failed() {
        return failed.sum();
    }

    /** When {@code position} was first received, in epoch millis; 0 if never. */
    public long firstReceivedAt(int position) {
        return firstReceivedAt.get(position);
    }
}
