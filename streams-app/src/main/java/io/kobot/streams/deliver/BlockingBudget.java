package io.kobot.streams.deliver;

import java.time.Duration;
import java.util.Map;

/**
 * How long one stream thread may still block for backpressure before its open transaction must be committed.
 * Used by the tasks of one thread only.
 *
 * <p>Why it is safe (Kafka Streams 4.x, {@code StreamThread.runOnce}): a stream thread loops over rounds of
 * <em>process</em> (a few records per task), then <em>punctuate</em>, then <em>commit</em> (when
 * {@code commit.interval.ms} elapsed or a task called {@code context.commit()}). Under {@code exactly_once_v2} the
 * thread's transaction opens with the first write after a commit and ends at the next commit. Blocking happens only
 * in the process phase; the budget is refilled only by the sink's punctuator, which runs after that phase and so
 * just before a commit; and a task that blocked requests a commit. So within one transaction a thread blocks at most
 * one {@link #roundAllowance()}, and a transaction lasts at most that plus {@code commit.interval.ms} plus the
 * round's processing. The allowance is a fifth of {@code transaction.timeout.ms} (2 s with Streams' default of
 * 10 s), and never more than a quarter of {@code max.poll.interval.ms}, so that the thread also polls in time.
 */
final class BlockingBudget {
    static final long DEFAULT_TRANSACTION_TIMEOUT_MS = 10_000;
    private static final long DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;
    /** The part of transaction.timeout.ms one transaction may spend blocked. */
    private static final int TRANSACTION_FRACTION = 5;

    private final long allowanceNanos;
    private final long perRecordNanos;
    private long spentNanos;

    BlockingBudget(Duration transactionTimeout, Duration maxPollInterval, Duration perRecord) {
        this.allowanceNanos =
                Math.min(transactionTimeout.toNanos() / TRANSACTION_FRACTION, maxPollInterval.toNanos() / 4);
        this.perRecordNanos = perRecord.toNanos();
    }

    /** The budget for the producer's and main consumer's settings as Kafka Streams configures them. */
    static BlockingBudget forStreamsConfig(Map<String, Object> appConfigs, Duration perRecord) {
        long maxPoll = millis(
                appConfigs,
                DEFAULT_MAX_POLL_INTERVAL_MS,
                "max.poll.interval.ms",
                "consumer.max.poll.interval.ms",
                "main.consumer.max.poll.interval.ms");
        long transaction = millis(
                appConfigs,
                DEFAULT_TRANSACTION_TIMEOUT_MS,
                "transaction.timeout.ms",
                "producer.transaction.timeout.ms");
        return new BlockingBudget(Duration.ofMillis(transaction), Duration.ofMillis(maxPoll), perRecord);
    }

    /** The last key present wins, in the order given (most specific last), as Streams resolves prefixes. */
    private static long millis(Map<String, Object> appConfigs, long defaultValue, String... keys) {
        long millis = defaultValue;
        for (String key : keys) {
            Object value = appConfigs.get(key);
            if (value != null) {
                millis = Long.parseLong(value.toString().trim());
            }
        }
        return millis;
    }

    /** The most one transaction may spend blocked. */
    Duration roundAllowance() {
        return Duration.ofNanos(allowanceNanos);
    }

    /** How long the current record may wait now: at most the per-record limit and what is left of the round's. */
    long available() {
        return Math.max(0, Math.min(perRecordNanos, allowanceNanos - spentNanos));
    }

    void spend(long nanos) {
        spentNanos += nanos;
    }

    /** Called from the punctuate phase, which a commit follows: a new transaction gets a new allowance. */
    void replenish() {
        spentNanos = 0;
    }
}
