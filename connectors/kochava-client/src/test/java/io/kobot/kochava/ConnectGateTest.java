package io.kobot.kochava;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectGateTest {

    private final List<String> started = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final List<Exception> refusals = new CopyOnWriteArrayList<>();
    private final ExecutorService handOver = Executors.newSingleThreadExecutor(task -> new Thread(task, "hand-over"));

    @AfterEach
    void stop() {
        handOver.shutdownNow();
    }

    @Test
    void opensPastTheLimitWaitAndStartInTheOrderTheyCame() throws Exception {
        ConnectGate gate = new ConnectGate(2, Runnable::run);
        List<ConnectGate.Open> opens = new ArrayList<>();
        for (int i = 0; i < 5; i++) opens.add(enter(gate, "open-" + i));

        assertThat(started).containsExactly("open-0", "open-1");
        assertThat(gate.opening()).isEqualTo(2);
        assertThat(gate.waiting()).isEqualTo(3);

        opens.get(1).release();
        assertThat(started).containsExactly("open-0", "open-1", "open-2");
        opens.get(0).release();
        opens.get(2).release();
        assertThat(started).containsExactly("open-0", "open-1", "open-2", "open-3", "open-4");
        assertThat(gate.waiting()).isZero();
        assertThat(gate.opening()).isEqualTo(2);

        opens.get(3).release();
        opens.get(4).release();
        assertThat(gate.opening()).isZero();
    }

    @Test
    void aWaitingOpenStartsOnTheHandOverThreadNotOnTheOneThatReleased() throws Exception {
        ConnectGate gate = new ConnectGate(1, handOver);
        List<String> threads = new CopyOnWriteArrayList<>();
        CountDownLatch secondStarted = new CountDownLatch(1);
        ConnectGate.Open first =
                gate.enter(open -> threads.add(Thread.currentThread().getName()), refusals::add);
        gate.enter(
                open -> {
                    threads.add(Thread.currentThread().getName());
                    secondStarted.countDown();
                },
                refusals::add);

        first.release();

        assertThat(secondStarted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(threads).containsExactly(Thread.currentThread().getName(), "hand-over");
    }

    @Test
    void aSlotIsReleasedOnceHoweverOftenTheEndOfItsOpenIsReported() {
        ConnectGate gate = new ConnectGate(1, Runnable::run);
        ConnectGate.Open first = enter(gate, "first");
        enter(gate, "second");
        enter(gate, "third");

        // A connect that failed, then was cancelled too (its exchange's deadline): one end, one slot.
        first.release();
        first.release();

        assertThat(started).containsExactly("first", "second");
        assertThat(gate.opening()).isEqualTo(1);
        assertThat(gate.waiting()).isEqualTo(1);
    }

    @Test
    void aCancelledWaitingOpenLeavesTheQueueAndNeverStarts() {
        ConnectGate gate = new ConnectGate(1, Runnable::run);
        ConnectGate.Open first = enter(gate, "first");
        ConnectGate.Open second = enter(gate, "second");
        ConnectGate.Open third = enter(gate, "third");

        assertThat(second.cancel()).isTrue();
        assertThat(gate.waiting()).isEqualTo(1);
        // Its release (the exchange ends) frees nothing: it held no slot.
        second.release();
        assertThat(gate.opening()).isEqualTo(1);

        first.release();
        third.release();

        assertThat(started).containsExactly("first", "third");
        assertThat(gate.opening()).isZero();
        // An open in progress is not taken back by a cancel: its connect's end releases it.
        assertThat(first.cancel()).isFalse();
        assertThat(refused).isEmpty();
    }

    @Test
    void closingFailsTheWaitingOpensAtOnceAndRefusesNewOnes() {
        ConnectGate gate = new ConnectGate(1, Runnable::run);
        ConnectGate.Open first = enter(gate, "first");
        enter(gate, "second");
        enter(gate, "third");

        gate.close();

        assertThat(refused).containsExactly("second", "third");
        assertThat(refusals).allSatisfy(e -> assertThat(e).isInstanceOf(ConnectionClosedException.class));
        assertThat(gate.waiting()).isZero();
        enter(gate, "after close");
        assertThat(refused).containsExactly("second", "third", "after close");

        first.release();
        assertThat(started).containsExactly("first");
        assertThat(gate.opening()).isZero();
    }

    @Test
    void aHandOverThatIsRefusedClosesTheGateAndFreesTheSlot() {
        ConnectGate gate = new ConnectGate(1, task -> {
            throw new RejectedExecutionException("shut down");
        });
        ConnectGate.Open first = enter(gate, "first");
        enter(gate, "second");
        enter(gate, "third");

        first.release();

        assertThat(started).containsExactly("first");
        assertThat(refused).containsExactly("second", "third");
        assertThat(gate.opening()).isZero();
        assertThat(gate.waiting()).isZero();
    }

    /**
     * Many threads enter, release (twice, as a failure and a cancel might) and cancel at random: the limit holds at
     * every moment, every open either starts once or is cancelled before it starts, and no slot is left held.
     */
    @Test
    void underContentionTheLimitHoldsAndEverySlotComesBack() throws Exception {
        int limit = 3;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        ConnectGate gate = new ConnectGate(limit, pool);
        AtomicInteger inProgress = new AtomicInteger();
        AtomicInteger mostInProgress = new AtomicInteger();
        AtomicInteger starts = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        int opens = 4_000;
        CountDownLatch ended = new CountDownLatch(opens);
        try {
            for (int i = 0; i < opens; i++) {
                pool.execute(() -> {
                    ConnectGate.Open open = gate.enter(
                            slot -> {
                                starts.incrementAndGet();
                                mostInProgress.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
                                // The connect's end, on another thread, as an I/O thread reports it.
                                pool.execute(() -> {
                                    inProgress.decrementAndGet();
                                    slot.release();
                                    slot.release();
                                    ended.countDown();
                                });
                            },
                            refusals::add);
                    if (ThreadLocalRandom.current().nextInt(4) == 0 && open.cancel()) {
                        cancelled.incrementAndGet();
                        ended.countDown();
                    }
                });
            }
            assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdown();
        }

        assertThat(mostInProgress.get()).isBetween(1, limit);
        assertThat(starts.get() + cancelled.get()).isEqualTo(opens);
        assertThat(cancelled.get()).isPositive();
        assertThat(refusals).isEmpty();
        assertThat(gate.opening()).isZero();
        assertThat(gate.waiting()).isZero();
    }

    private ConnectGate.Open enter(ConnectGate gate, String name) {
        return gate.enter(open -> started.add(name), e -> {
            refused.add(name);
            refusals.add(e);
        });
    }
}
