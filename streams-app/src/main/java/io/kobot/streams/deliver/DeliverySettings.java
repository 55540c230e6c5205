package io.kobot.streams.deliver;

import io.kobot.config.ConfigProblem;
import io.kobot.config.ConfigValues;
import io.kobot.config.Durations;
import io.kobot.config.InvalidConfigurationException;
import io.kobot.config.Validators;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The delivery sink's own settings (the Kochava client reads the other {@code delivery.*} keys), declared once in
 * {@link #CONFIG_DEF}, which the pipeline composes into its configuration. Durations are documented as ISO-8601; a
 * plain number is still read as milliseconds, as before. Read from the same map as the client's config; unknown keys
 * are ignored here (the pipeline reports them).
 *
 * <p>To add a key: a name constant, a {@code define(...)} line in {@link #CONFIG_DEF}, a record component, and its
 * value read in {@link #from(ConfigValues)}; a rule across keys goes in {@link #checkAcross}.
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
 * @param audit                {@value #AUDIT}: which outcomes get an audit record on {@code topics.deliveries}
 */
public record DeliverySettings(
        int batchMaxEvents,
        long batchMaxBytes,
        Duration batchLinger,
        int maxPending,
        long maxPendingBytes,
        long outboxMaxSize,
        Duration backpressureMaxBlock,
        Duration drainTimeout,
        AuditScope audit) {

    public static final String BATCH_MAX_EVENTS = "delivery.batch.max-events";
    public static final String BATCH_MAX_BYTES = "delivery.batch.max-bytes";
    public static final String BATCH_LINGER = "delivery.batch.linger";
    public static final String MAX_PENDING = "delivery.max-pending";
    public static final String MAX_PENDING_BYTES = "delivery.max-pending-bytes";
    public static final String OUTBOX_MAX_SIZE = "delivery.outbox.max-size";
    public static final String BACKPRESSURE_MAX_BLOCK = "delivery.backpressure.max-block";
    public static final String DRAIN_TIMEOUT = "delivery.drain-timeout";
    public static final String AUDIT = "delivery.audit";

    /** Every key of the delivery sink, in reference order. */
    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    BATCH_MAX_EVENTS,
                    Type.INT,
                    500,
                    Validators.atLeast(1),
                    Importance.MEDIUM,
                    "Engagements per batch: a full batch is dispatched at once (one request each, or one array "
                            + "per app with kochava.body-mode=array).")
            .define(
                    BATCH_MAX_BYTES,
                    Type.LONG,
                    1_048_576L,
                    Validators.atLeast(1),
                    Importance.LOW,
                    "A batch is also dispatched once its engagements' serialized size, in bytes, reaches this.")
            .define(
                    BATCH_LINGER,
                    Type.STRING,
                    "PT0.05S",
                    Durations.atLeastMillis(Duration.ZERO),
                    Importance.MEDIUM,
                    "A batch that is not full is dispatched once its oldest engagement has waited this long.")
            .define(
                    MAX_PENDING,
                    Type.INT,
                    10_000,
                    Validators.atLeast(1),
                    Importance.MEDIUM,
                    "Engagements per task held in memory, batched or in delivery; the rest wait in the outbox on "
                            + "disk. At least delivery.batch.max-events.")
            .define(
                    MAX_PENDING_BYTES,
                    Type.LONG,
                    33_554_432L,
                    Validators.atLeast(1),
                    Importance.LOW,
                    "Serialized size of the engagements per task held in memory, batched or in delivery (one is "
                            + "always taken, however large); the rest wait in the outbox on disk.")
            .define(
                    OUTBOX_MAX_SIZE,
                    Type.LONG,
                    1_000_000L,
                    Validators.atLeast(1),
                    Importance.LOW,
                    "Outbox entries per task past which reading input is slowed down (backpressure).")
            .define(
                    BACKPRESSURE_MAX_BLOCK,
                    Type.STRING,
                    "PT1S",
                    Durations.atLeastMillis(Duration.ZERO),
                    Importance.LOW,
                    "When a task's outbox is full, the longest one record waits for one of the task's "
                            + "engagements to complete (one out, one in); a stream thread blocks at most a fifth of "
                            + "transaction.timeout.ms (and a quarter of max.poll.interval.ms) per transaction, and "
                            + "commits after it waited.")
            .define(
                    DRAIN_TIMEOUT,
                    Type.STRING,
                    "PT10S",
                    Durations.atLeastMillis(Duration.ZERO),
                    Importance.LOW,
                    "On shutdown, how long requests in flight get to end (no new request or retry starts) so "
                            + "that their outcomes are committed before Kafka Streams closes; what is left is "
                            + "cancelled and sent again after the restart. At most half of shutdown.timeout is "
                            + "used. A rebalance cancels a closing task's requests at once.")
            .define(
                    AUDIT,
                    Type.STRING,
                    AuditScope.ALL.configName(),
                    Validators.oneOf(AuditScope.names()),
                    Importance.LOW,
                    "Which delivery outcomes get an audit record on topics.deliveries: all (one record per "
                            + "engagement), failures (only those not delivered) or off. Fewer records cost the "
                            + "pipeline less (a serialization and a write in the transaction per engagement); "
                            + "the delivery metrics and the dead letters of failures stay whatever is chosen.");

    public static final DeliverySettings DEFAULTS = from(Map.of());

    public DeliverySettings {
        if (batchMaxEvents < 1
                || batchMaxBytes < 1
                || maxPending < batchMaxEvents
                || maxPendingBytes < 1
                || outboxMaxSize < 1
                || batchLinger.isNegative()
                || backpressureMaxBlock.isNegative()
                || drainTimeout.isNegative()
                || audit == null) {
            throw new IllegalArgumentException("invalid delivery settings; see DeliverySettings.CONFIG_DEF");
        }
    }

    /**
     * Reads the settings; values may be strings or numbers.
     *
     * @throws InvalidConfigurationException listing every invalid value
     */
    public static DeliverySettings from(Map<String, ?> props) {
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigValues values = ConfigValues.parse(CONFIG_DEF, props, problems);
        checkAcross(values, problems);
        InvalidConfigurationException.throwIfAny(problems);
        return from(values);
    }

    /** The settings from values already parsed and checked by a definition that composes {@link #CONFIG_DEF}. */
    public static DeliverySettings from(ConfigValues values) {
        return new DeliverySettings(
                values.getInt(BATCH_MAX_EVENTS),
                values.getLong(BATCH_MAX_BYTES),
                values.getDuration(BATCH_LINGER),
                values.getInt(MAX_PENDING),
                values.getLong(MAX_PENDING_BYTES),
                values.getLong(OUTBOX_MAX_SIZE),
                values.getDuration(BACKPRESSURE_MAX_BLOCK),
                values.getDuration(DRAIN_TIMEOUT),
                AuditScope.fromConfigName(values.getString(AUDIT)));
    }

    /** The rules across keys, on the keys whose own values are valid. */
    public static void checkAcross(ConfigValues values, List<ConfigProblem> problems) {
        if (values.has(MAX_PENDING)
                && values.has(BATCH_MAX_EVENTS)
                && values.getInt(MAX_PENDING) < values.getInt(BATCH_MAX_EVENTS)) {
            problems.add(new ConfigProblem(
                    MAX_PENDING,
                    "must be at least " + BATCH_MAX_EVENTS + " (" + values.getInt(BATCH_MAX_EVENTS)
                            + "), or batches could never fill"));
        }
    }
}
