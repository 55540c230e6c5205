package io.kobot.kochava;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.apache.hc.core5.http.ConnectionClosedException;

/**
 * Bounds how many connections a pool opens at once to one route (TCP connect and TLS handshake, until the connect
 * callback ends); further opens wait in FIFO order and start when one ends. One gate per route, so that a host slow to
 * connect to holds up only the opens to it.
 *
 * <p>Why: a pool of 1,024 connections that fills at once (start-up, the end of an outage) would start 1,024 TLS
 * handshakes together. Their key exchanges and certificate checks occupy the pool's few I/O threads, so the
 * requests on connections already open time out and are retried while the endpoint sees a flood of new
 * connections, and the handshakes themselves pass their timeouts. The work is the same with the gate; it arrives at
 * a pace the I/O threads and the endpoint can take.
 *
 * <p>An open that waits belongs to an exchange, whose deadline still runs: cancelling it ({@link Open#cancel})
 * takes it out of the queue, and it never starts. A slot is released exactly once, however the open ends. After
 * {@link #close} the waiting opens fail at once, and new ones are refused.
 */
final class ConnectGate {

    private final int maxOpening;
    private final Executor handOver;
    private final Deque<Open> waiting = new ArrayDeque<>();
    private int opening;
    private boolean closed;

    /**
     * @param maxOpening opens in progress at once
     * @param handOver runs an open that waited, once a slot is its own: opening resolves the host name, which the
     *     thread that released the slot (an I/O thread, mostly) must not wait for
     */
    ConnectGate(int maxOpening, Executor handOver) {
        if (maxOpening < 1) throw new IllegalArgumentException("maxOpening must be at least 1: " + maxOpening);
        this.maxOpening = maxOpening;
        this.handOver = handOver;
    }

    /**
     * Starts {@code start} now (on this thread) if a slot is free, else queues it.
     *
     * @param start opens the connection; its open must be {@link Open#release released} when the connect ends
     * @param refused told why, when the open will never start (the gate closed while it waited, or before)
     */
    Open enter(Consumer<Open> start, Consumer<Exception> refused) {
        Open open = new Open(start, refused);
        boolean now;
        synchronized (this) {
            if (closed) {
                open.state = State.REFUSED;
                now = false;
            } else if (opening < maxOpening) {
                opening++;
                open.state = State.STARTED;
                now = true;
            } else {
                waiting.add(open);
                return open;
            }
        }
        if (now) start.accept(open);
        else refused.accept(closedException());
        return open;
    }

    /** Fails the waiting opens and refuses new ones; opens in progress end as their connects do. */
    void close() {
        refuse(closeQueue());
    }

    /** Closes the gate; returns the opens that waited, refused now. */
    private synchronized List<Open> closeQueue() {
        closed = true;
        List<Open> refused = new ArrayList<>(waiting);
        waiting.clear();
        for (Open open : refused) open.state = State.REFUSED;
        return refused;
    }

    private static void refuse(List<Open> opens) {
        for (Open open : opens) open.refused.accept(closedException());
    }

    /** Opens in progress. */
    synchronized int opening() {
        return opening;
    }

    /** Opens waiting for a slot. */
    synchronized int waiting() {
        return waiting.size();
    }

    private void released() {
        Open next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                opening--;
                return;
            }
            // The slot passes on: opening stays as it is.
            next.state = State.STARTED;
        }
        try {
            handOver.execute(() -> next.start.accept(next));
        } catch (RejectedExecutionException e) {
            // The pool is shutting down: nothing starts any more, the slot is free again, and the opens fail in order.
            List<Open> after = closeQueue();
            next.release();
            next.refused.accept(closedException());
            refuse(after);
        }
    }

    private static ConnectionClosedException closedException() {
        return new ConnectionClosedException("connection pool closed");
    }

    private enum State {
        WAITING,
        STARTED,
        RELEASED,
        CANCELLED,
        REFUSED
    }

    /** One connection's open: waiting for a slot, in progress, or over. */
    final class Open {
        private final Consumer<Open> start;
        private final Consumer<Exception> refused;
        /** Guarded by the gate. */
        private State state = State.WAITING;

        private Open(Consumer<Open> start, Consumer<Exception> refused) {
            this.start = start;
            this.refused = refused;
        }

        /** Ends an open in progress, giving its slot to the next one; nothing if it is not in progress. */
        void release() {
            synchronized (ConnectGate.this) {
                if (state != State.STARTED) return;
                state = State.RELEASED;
            }
            released();
        }

        /** Takes a waiting open out of the queue, never to start; returns false if it is not waiting. */
        boolean cancel() {
            synchronized (ConnectGate.this) {
                if (state != State.WAITING) return false;
                state = State.CANCELLED;
                waiting.remove(this);
                return true;
            }
        }
    }
}
