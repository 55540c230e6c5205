package io.kobot.streams.deliver;

import io.kobot.kochava.ConfigError;
import io.kobot.kochava.InvalidConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The delivery sink's own settings (the Kochava client reads the other {@code delivery.*} keys). Durations are
 * whole milliseconds, like the client's. Read from the same map as the client's config; unknown keys are ignored.
 *
 * @param batchMaxEvents       {@value #BATCH_MAX_EVENTS}: a batch is dispatched once it holds this many engagements
 * @param batchMaxBytes        {@value #BATCH_MAX_BYTES}: ... or once their serialized size reaches this
 * @param batchLinger          {@value #BATCH_LINGER}: ... or once its oldest engagement has waited this long
 * @param maxPending           {@value #MAX_PENDING}: engagements held in memory (batched or dispatched, not yet
 *                             completed) per task; the rest wait in the outbox on disk
 * @param maxPendingBytes      {@value #MAX_PENDING_BYTES}: the serialized size of those, per task (one engagement
 *                             is always taken, however large)
 * @param outboxMaxSize        {@value #OUTBOX_MAX_SIZE}: outbox entries per task past which input is slowed down
 * @param backpressureMaxBlock {@value #BACKPRESSURE_MAX_BLOCK}: the longest one record waits, when its task's
 *                             outbox is full, for one of the task's engagements to complete
 * @param drainTimeout         {@value #DRAIN_TIMEOUT}: on shutdown, how long requests in flight may take to end
 *                             before Streams closes, so that their outcomes are committed
 */
public record DeliverySettings(
        int batchMaxEvents,
        long batchMaxBytes,
        Duration batchLinger,
        int maxPending,
        long maxPendingBytes,
        long outboxMaxSize,
        Duration backpressureMaxBlock,
        Duration drainTimeout) {

    public static final String BATCH_MAX_EVENTS = "delivery.batch.max-events";
    public static final String BATCH_MAX_BYTES = "delivery.batch.max-bytes";
    public static final String BATCH_LINGER = "delivery.batch.linger";
    public static final String MAX_PENDING = "delivery.max-pending";
    public static final String MAX_PENDING_BYTES = "delivery.max-pending-bytes";
    public static final String OUTBOX_MAX_SIZE = "delivery.outbox.max-size";
    public static final String BACKPRESSURE_MAX_BLOCK = "delivery.backpressure.max-block";
    public static final String DRAIN_TIMEOUT = "delivery.drain-timeout";

    /** One documented key, for the configuration reference. */
    public record Key(String name, String type, String defaultValue, String doc) {}

    private static final List<Key> KEYS = List.of(
            new Key(
                    BATCH_MAX_EVENTS,
                    "integer ≥ 1",
                    "500",
                    "Engagements per batch: a full batch is dispatched at once (one request each, or one array "
                            + "per app with kochava.body-mode=array)."),
            new Key(
                    BATCH_MAX_BYTES,
                    "bytes ≥ 1",
                    "1048576",
                    "A batch is also dispatched once its engagements' serialized size reaches this."),
            new Key(
                    BATCH_LINGER,
                    "milliseconds ≥ 0",
                    "50",
                    "A batch that is not full is dispatched once its oldest engagement has waited this long."),
            new Key(
                    MAX_PENDING,
                    "integer ≥ delivery.batch.max-events",
                    "10000",
                    "Engagements per task held in memory, batched or in delivery; the rest wait in the outbox on "
                            + "disk."),
            new Key(
                    MAX_PENDING_BYTES,
                    "bytes ≥ 1",
                    "33554432",
                    "Serialized size of the engagements per task held in memory, batched or in delivery (one is "
                            + "always taken, however large); the rest wait in the outbox on disk."),
            new Key(
                    OUTBOX_MAX_SIZE,
                    "integer ≥ 1",
                    "1000000",
                    "Outbox entries per task past which reading input is slowed down (backpressure)."),
            new Key(
                    BACKPRESSURE_MAX_BLOCK,
                    "milliseconds ≥ 0",
                    "1000",
                    "When a task's outbox is full, the longest one record waits for one of the task's "
                            + "engagements to complete (one out, one in); a stream thread blocks at most a fifth of "
                            + "transaction.timeout.ms (and a quarter of max.poll.interval.ms) per transaction, and "
                            + "commits after it waited."),
            new Key(
                    DRAIN_TIMEOUT,
                    "milliseconds ≥ 0",
                    "10000",
                    "On shutdown, how long requests in flight get to end (no new request or retry starts) so "
                            + "that their outcomes are committed before Kafka Streams closes; what is left is "
                            + "cancelled and sent again after the restart. At most half of shutdown.timeout is "
                            + "used. A rebalance cancels a closing task's requests at once."));

    public static final DeliverySettings DEFAULTS = from(Map.of());

    public DeliverySettings {
        if (batchMaxEvents < 1
                || batchMaxBytes < 1
                || maxPending < batchMaxEvents
                || maxPendingBytes < 1
                || outboxMaxSize < 1
                || batchLinger.isNegative()
                || backpressureMaxBlock.isNegative()
                || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("invalid delivery settings; see DeliverySettings.keys()");
        }
    }

    /** The documented keys, in reference order. */
    public static List<Key> keys() {
        return KEYS;
    }

    /**
     * Reads the settings; values may be strings or numbers.
     *
     * @throws InvalidConfigException listing every invalid value
     */
    public static DeliverySettings from(Map<String, ?> props) {
        Reader reader = new Reader(props);
        int maxEvents = (int) reader.number(BATCH_MAX_EVENTS, 1, Integer.MAX_VALUE);
        long maxBytes = reader.number(BATCH_MAX_BYTES, 1, Long.MAX_VALUE);
        long linger = reader.number(BATCH_LINGER, 0, Long.MAX_VALUE);
        int maxPending = (int) reader.number(MAX_PENDING, 1, Integer.MAX_VALUE);
        long maxPendingBytes = reader.number(MAX_PENDING_BYTES, 1, Long.MAX_VALUE);
        long outboxMaxSize = reader.number(OUTBOX_MAX_SIZE, 1, Long.MAX_VALUE);
        long maxBlock = reader.number(BACKPRESSURE_MAX_BLOCK, 0, Long.MAX_VALUE);
        long drain = reader.number(DRAIN_TIMEOUT, 0, Long.MAX_VALUE);
        if (reader.errors.isEmpty() && maxPending < maxEvents) {
            reader.errors.add(new ConfigError(
                    MAX_PENDING,
                    "must be at least " + BATCH_MAX_EVENTS + " (" + maxEvents + "), or batches could never fill"));
        }
        if (!reader.errors.isEmpty()) {
            throw new InvalidConfigException(reader.errors);
        }
        return new DeliverySettings(
                maxEvents,
                maxBytes,
                Duration.ofMillis(linger),
                maxPending,
                maxPendingBytes,
                outboxMaxSize,
                Duration.ofMillis(maxBlock),
                Duration.ofMillis(drain));
    }

    /** Collects every error instead of stopping at the first. */
    private static final class Reader {
        private final Map<String, ?> props;
        private final List<ConfigError> errors = new ArrayList<>();

        Reader(Map<String, ?> props) {
            this.props = props;
        }

        long number(String key, long min, long max) {
            String text = text(key);
            if (text == null) {
                text = KEYS.stream()
                        .filter(k -> k.name().equals(key))
                        .findFirst()
                        .orElseThrow()
                        .defaultValue();
            }
            try {
                long value = Long.parseLong(text);
                if (value >= min && value <= max) {
                    return value;
                }
                errors.add(new ConfigError(key, "must be between " + min + " and " + max + ", got " + value));
            } catch (NumberFormatException e) {
                errors.add(new ConfigError(key, "must be a whole number, got '" + text + "'"));
            }
            return min;
        }

        private String text(String key) {
            Object value = props.get(key);
            String text = value == null ? "" : value.toString().trim();
            return text.isEmpty() ? null : text;
        }
    }
}
