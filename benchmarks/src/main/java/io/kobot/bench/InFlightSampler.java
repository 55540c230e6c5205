package io.kobot.bench;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * The most requests seen in flight at once, from the Kochava client's own limiter, sampled every millisecond.
 * Its callbacks would not do: a finished request hands its slot on before it reports that it ended.
 */
final class InFlightSampler implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int max;

    InFlightSampler(IntSupplier inFlight) {
        thread = new Thread(
                () -> {
                    while (running) {
                        max = Math.max(max, inFlight.getAsInt());
                        LockSupport.parkNanos(1_000_000);
                    }
                },
                "in-flight-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    int max() {
        return max;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}
