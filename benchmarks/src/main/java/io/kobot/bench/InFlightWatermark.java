package io.kobot.bench;

import io.kobot.kochava.AttemptResult;
import io.kobot.kochava.DeliveryMetrics;
import io.kobot.kochava.DeliveryResult;

import java.util.concurrent.atomic.AtomicInteger;

/** Passes the Kochava client's reports on, and keeps the most requests seen in flight at once. */
final class InFlightWatermark implements DeliveryMetrics {
    private final DeliveryMetrics delegate;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger max = new AtomicInteger();

    InFlightWatermark(DeliveryMetrics delegate) {
        this.delegate = delegate;
    }

    @Override
    public void requestStarted() {
        max.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        delegate.requestStarted();
    }

    @Override
    public void requestEnded(AttemptResult result) {
        inFlight.decrementAndGet();
        delegate.requestEnded(result);
    }

    @Override
    public void retryScheduled() {
        delegate.retryScheduled();
    }

    @Override
    public void delivered(DeliveryResult result) {
        delegate.delivered(result);
    }

    @Override
    public void rejected(DeliveryResult result) {
        delegate.rejected(result);
    }

    @Override
    public void retriesExhausted(DeliveryResult result) {
        delegate.retriesExhausted(result);
    }

    int max() {
        return max.get();
    }
}
