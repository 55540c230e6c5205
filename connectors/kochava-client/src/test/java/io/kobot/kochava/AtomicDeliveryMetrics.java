package io.kobot.kochava;

import java.util.concurrent.atomic.AtomicLong;

/** {@link DeliveryMetrics} as plain counters and an in-flight gauge, for callers to read or bind as they like. */
public final class AtomicDeliveryMetrics implements DeliveryMetrics {

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong permanentFailures = new AtomicLong();
    private final AtomicLong exhausted = new AtomicLong();

    @Override
    public void requestStarted() {
        requests.incrementAndGet();
        inFlight.incrementAndGet();
    }

    @Override
    public void requestEnded(AttemptResult result) {
        inFlight.decrementAndGet();
    }

    @Override
    public void retryScheduled() {
        retries.incrementAndGet();
    }

    @Override
    public void delivered(DeliveryResult result) {
        successes.incrementAndGet();
    }

    @Override
    public void rejected(DeliveryResult result) {
        permanentFailures.incrementAndGet();
    }

    @Override
    public void retriesExhausted(DeliveryResult result) {
        exhausted.incrementAndGet();
    }

    /** HTTP requests sent. */
    public long requests() {
        return requests.get();
    }

    /** HTTP requests sent and not yet ended. */
    public long inFlight() {
        return inFlight.get();
    }

    /** Retries scheduled. */
    public long retries() {
        return retries.get();
    }

    /** Deliveries that ended DELIVERED. */
    public long successes() {
        return successes.get();
    }

    /** Deliveries that ended REJECTED. */
    public long permanentFailures() {
        return permanentFailures.get();
    }

    /** Deliveries that ended RETRIES_EXHAUSTED. */
    public long exhausted() {
        return exhausted.get();
    }
}
