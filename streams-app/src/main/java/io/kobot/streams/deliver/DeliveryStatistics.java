package io.kobot.streams.deliver;

import io.kobot.kochava.AttemptResult;
import io.kobot.kochava.DeliveryMetrics;
import io.kobot.kochava.DeliveryResult;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What Kochava delivery did in one application instance: the client's counters (it reports through
 * {@link DeliveryMetrics}) and the sink's gauges, summed over all tasks and threads. Plain counters, cheap under
 * contention, so that the main job binds them to its metrics system and tests read them directly.
 *
 * <p>A "delivery" is one engagement, or one array of events in {@code kochava.body-mode=array}.
 */
public final class DeliveryStatistics implements DeliveryMetrics {
    private final LongAdder requests = new LongAdder();
    private final LongAdder inFlightRequests = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder successes = new LongAdder();
    private final LongAdder permanentFailures = new LongAdder();
    private final LongAdder exhausted = new LongAdder();
    private final LongAdder pending = new LongAdder();
    private final LongAdder outboxSize = new LongAdder();
    private final LongAdder blockedNanos = new LongAdder();
    private final LongAdder redispatched = new LongAdder();
    private final LongAdder unreadableEntries = new LongAdder();
    private final LongAdder completionFailures = new LongAdder();
    private final LongAdder linksForwarded = new LongAdder();
    private final LongAdder linksFailed = new LongAdder();
    private final LatencyHistogram latency = new LatencyHistogram();

    @Override
    public void requestStarted() {
        requests.increment();
        inFlightRequests.increment();
    }

    @Override
    public void requestEnded(AttemptResult result) {
        inFlightRequests.decrement();
    }

    @Override
    public void retryScheduled() {
        retries.increment();
    }

    @Override
    public void delivered(DeliveryResult result) {
        successes.increment();
    }

    @Override
    public void rejected(DeliveryResult result) {
        permanentFailures.increment();
    }

    @Override
    public void retriesExhausted(DeliveryResult result) {
        exhausted.increment();
    }

    void engagementDelivered(Duration endToEnd) {
        latency.record(endToEnd);
    }

    void pendingChanged(long delta) {
        pending.add(delta);
    }

    void outboxChanged(long delta) {
        outboxSize.add(delta);
    }

    void blocked(long nanos) {
        blockedNanos.add(nanos);
    }

    void restoredForRedelivery(long count) {
        redispatched.add(count);
    }

    void unreadableEntry() {
        unreadableEntries.increment();
    }

    void completionFailed() {
        completionFailures.increment();
    }

    void identityLinkEnded(boolean delivered) {
        (delivered ? linksForwarded : linksFailed).increment();
    }

    /** Identity links Kochava accepted. */
    public long identityLinksForwarded() {
        return linksForwarded.sum();
    }

    /** Identity links Kochava rejected or that ran out of retries, dead-lettered. */
    public long identityLinksFailed() {
        return linksFailed.sum();
    }

    /** Outbox entries that could not be read back, dead-lettered with their bytes (OUTBOX_ENTRY_UNREADABLE). */
    public long unreadableEntries() {
        return unreadableEntries.sum();
    }

    /** Times an outcome could not be written (an exception); it is tried again, nothing is dropped. */
    public long completionFailures() {
        return completionFailures.sum();
    }

    /** HTTP requests sent, retries included. */
    public long requests() {
        return requests.sum();
    }

    /** HTTP requests sent and not yet answered. */
    public long inFlightRequests() {
        return inFlightRequests.sum();
    }

    /** Retries scheduled after transient failures. */
    public long retries() {
        return retries.sum();
    }

    /** Deliveries that ended DELIVERED. */
    public long successes() {
        return successes.sum();
    }

    /** Deliveries that ended REJECTED (permanent failures, dead-lettered). */
    public long permanentFailures() {
        return permanentFailures.sum();
    }

    /** Deliveries that ended RETRIES_EXHAUSTED (dead-lettered). */
    public long retriesExhausted() {
        return exhausted.sum();
    }

    /** Engagements batched or in delivery, not yet completed (gauge). */
    public long pending() {
        return pending.sum();
    }

    /** Engagements in the outboxes of this instance's tasks, pending ones included (gauge). */
    public long outboxSize() {
        return outboxSize.sum();
    }

    /** Time stream threads spent waiting for room in a full outbox. */
    public Duration blockedTime() {
        return Duration.ofNanos(blockedNanos.sum());
    }

    /** Engagements found in an outbox when a task started, to be sent again (a crash or a rebalance left them). */
    public long restoredForRedelivery() {
        return redispatched.sum();
    }

    /** End-to-end latency, from the raw record's timestamp (ingested_at) to Kochava's answer, of delivered ones. */
    public LatencyHistogram latency() {
        return latency;
    }

    @Override
    public String toString() {
        return "DeliveryStatistics(requests=" + requests() + ", successes=" + successes() + ", retries=" + retries()
                + ", permanentFailures=" + permanentFailures() + ", retriesExhausted=" + retriesExhausted()
                + ", pending=" + pending() + ", outboxSize=" + outboxSize() + ", blockedMs="
                + TimeUnit.NANOSECONDS.toMillis(blockedNanos.sum()) + ", latencyP50=" + latency.percentile(0.5)
                + ", latencyP99=" + latency.percentile(0.99) + ")";
    }
}
