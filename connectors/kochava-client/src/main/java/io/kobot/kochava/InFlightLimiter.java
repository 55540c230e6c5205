package io.kobot.kochava;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Bounds how many tasks hold a slot at once. A task submitted while all slots are taken waits in a FIFO queue and
 * gets the slot its predecessor releases. Never blocks a submitter.
 */
final class InFlightLimiter {

    private final int maxActive;
    private final Executor handOver;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int active;

    /**
     * @param handOver runs a waiting task when it gets a slot; running it on the releasing thread instead could
     *                 recurse deeply when many attempts fail at once
     */
    InFlightLimiter(int maxActive, Executor handOver) {
        this.maxActive = maxActive;
        this.handOver = handOver;
    }

    /** Runs {@code task} now if a slot is free, else queues it. The task must call {@link #release()} when done. */
    void submit(Runnable task) {
        synchronized (this) {
            if (active >= maxActive) {
                waiting.add(task);
                return;
            }
            active++;
        }
        task.run();
    }

    /** Gives the caller's slot to the next waiting task, or frees it. */
    void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                active--;
                notifyAll();
                return;
            }
        }
        handOver.execute(next);
    }

    /** Forgets the waiting tasks, for a shutdown that will not run them. */
    synchronized void clearWaiting() {
        waiting.clear();
    }

    synchronized int active() {
        return active;
    }

    synchronized int waiting() {
        return waiting.size();
    }

    /** Waits until no slot is held or {@code timeout} passed; returns whether all slots are free. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (active > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
