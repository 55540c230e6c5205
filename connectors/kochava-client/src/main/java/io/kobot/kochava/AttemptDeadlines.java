package io.kobot.kochava;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the attempts that pass their deadline, on one thread. Every attempt has the same timeout, so the attempts in
 * flight, kept in the order they started, are also in the order they fall due: adding and removing one is a few
 * pointer updates (no timer task per attempt, no heap to reorder), and the thread sleeps until the oldest is due.
 */
final class AttemptDeadlines implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AttemptDeadlines.class);

    /** An attempt that may pass its deadline: a node of the list while it runs. */
    abstract static class Entry {
        private Entry previous;
        private Entry next;
        private boolean listed;
        private long dueNanos;

        /** Called on the deadline thread, without any lock held, once the entry is due and still listed. */
        abstract void expire();
    }

    private final long timeoutNanos;
    private final Thread thread;
    /** The oldest and newest attempts in flight; guarded by this. */
    private Entry head;

    private Entry tail;
    private boolean closed;

    AttemptDeadlines(Duration timeout, String threadName) {
        this.timeoutNanos = timeout.toNanos();
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Starts {@code entry}'s clock: it expires {@code timeout} from now unless removed before. */
    void add(Entry entry) {
        synchronized (this) {
            entry.dueNanos = System.nanoTime() + timeoutNanos;
            entry.listed = true;
            entry.previous = tail;
            if (tail == null) {
                head = entry;
                // The thread waits for a first entry (later ones fall due after it).
                notifyAll();
            } else {
                tail.next = entry;
            }
            tail = entry;
        }
    }

    /** Stops {@code entry}'s clock; a no-op when it expired or was removed already. */
    void remove(Entry entry) {
        synchronized (this) {
            unlink(entry);
        }
    }

    /** The entries listed now, oldest first. */
    synchronized List<Entry> listed() {
        List<Entry> all = new ArrayList<>();
        for (Entry entry = head; entry != null; entry = entry.next) all.add(entry);
        return all;
    }

    /** Stops the thread; entries still listed never expire. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
    }

    private void unlink(Entry entry) {
        if (!entry.listed) return;
        entry.listed = false;
        if (entry.previous == null) head = entry.next;
        else entry.previous.next = entry.next;
        if (entry.next == null) tail = entry.previous;
        else entry.next.previous = entry.previous;
        entry.previous = null;
        entry.next = null;
    }

    private void run() {
        while (true) {
            Entry due;
            synchronized (this) {
                try {
                    while (!closed) {
                        if (head == null) {
                            wait();
                            continue;
                        }
                        long left = head.dueNanos - System.nanoTime();
                        if (left <= 0) break;
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (closed) return;
                due = head;
                unlink(due);
            }
            try {
                due.expire();
            } catch (RuntimeException e) {
                log.error("An attempt's deadline action failed", e);
            }
        }
    }
}
