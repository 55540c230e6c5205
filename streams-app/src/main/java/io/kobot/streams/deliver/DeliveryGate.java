package io.kobot.streams.deliver;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shared by every task of one instance: whether tasks may still dispatch, and how many dispatched engagements'
 * outcomes have not been applied by a stream thread yet. Shutdown closes the gate, lets the requests in flight end,
 * and waits here until the stream threads have written those outcomes, so that Streams' clean close commits them.
 */
final class DeliveryGate {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private volatile boolean open = true;
    private final AtomicLong unapplied = new AtomicLong();

    boolean isOpen() {
        return open;
    }

    void close() {
        open = false;
    }

    void dispatched(int count) {
        unapplied.addAndGet(count);
    }

    /** Outcomes applied, or dropped because their task closed. */
    void settled(int count) {
        unapplied.addAndGet(-count);
    }

    long unapplied() {
        return unapplied.get();
    }

    /** Waits until every dispatched outcome was applied; false when the timeout ran out first. */
    boolean awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (unapplied.get() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, POLL_NANOS));
        }
        return true;
    }
}
