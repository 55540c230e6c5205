package io.kobot.kochava;

/**
 * Callbacks through which {@link KochavaDeliverer} reports what it does, for callers to bind to their metrics
 * system. Calls come from several threads at once and must not block. A "delivery" is one engagement, or one
 * array batch in {@link BodyMode#ARRAY}.
 */
public interface DeliveryMetrics {

    /** Reports nothing. */
    DeliveryMetrics NOOP = new DeliveryMetrics() {};

    /** An HTTP request was sent. */
    default void requestStarted() {}

    /** An HTTP request ended, with a response or an error. */
    default void requestEnded(AttemptResult result) {}

    /** A transient failure will be retried. */
    default void retryScheduled() {}

    default void delivered(DeliveryResult result) {}

    /** A permanent failure. */
    default void rejected(DeliveryResult result) {}

    default void retriesExhausted(DeliveryResult result) {}
}
