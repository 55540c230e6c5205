package io.kobot.faults;

/**
 * The most requests the design lets a run send twice (see KochavaDeliverySink): each crash or rebalance may
 * re-send, per task, what was in memory (at most {@code delivery.max-pending}: batched or in flight), plus what
 * had completed since the last commit (one commit interval's worth of deliveries, taken at the run's peak rate).
 * Under {@code at_least_once} the per-task term is one poll ({@code max.poll.records}) instead: what a task can
 * have processed and not committed.
 */
record DuplicateBound(
        int incidents, int tasks, int maxPending, long commitIntervalMs, long peakPerSecond, String perTask) {

    DuplicateBound(int incidents, int tasks, int maxPending, long commitIntervalMs, long peakPerSecond) {
        this(incidents, tasks, maxPending, commitIntervalMs, peakPerSecond, "delivery.max-pending");
    }

    long value() {
        return incidents * (tasks * (long) maxPending + commitIntervalWorth());
    }

    private long commitIntervalWorth() {
        return (peakPerSecond * commitIntervalMs + 999) / 1000;
    }

    String describe() {
        return String.format(
                "%,d = %d crash(es)/rebalance(s) × (%d tasks × %s %,d + %d ms commit interval × peak %,d/s)",
                value(), incidents, tasks, perTask, maxPending, commitIntervalMs, peakPerSecond);
    }
}
