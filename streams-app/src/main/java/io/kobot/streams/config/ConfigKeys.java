package io.kobot.streams.config;

import io.kobot.config.Durations;
import io.kobot.config.Validators;
import io.kobot.registry.SchemaRegistryConfig;
import io.kobot.streams.topology.TopicNames;
import java.time.Duration;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Every key of the pipeline's own configuration, declared once in {@link #CONFIG_DEF} with its type, default,
 * validator, importance and documentation; {@link PipelineConfig#CONFIG_DEF} composes it with the Kochava client's
 * and the delivery sink's keys, and the configuration reference (docs/configuration.md) is generated from that (see
 * {@link ConfigReference}).
 *
 * <p>Besides the declared keys, {@value #KAFKA_PREFIX} keys pass through to Kafka Streams and its clients, with the
 * prefix removed. Any other key is an error ("unknown key", with the nearest declared key when it looks like a typo).
 *
 * <p>To add a key: a name constant here, a {@code define(...)} line in {@link #CONFIG_DEF} (durations: type STRING
 * with {@code Durations.atLeast(min)}, an ISO-8601 default such as {@code "PT30S"}; secrets: type PASSWORD), and an
 * accessor in {@link PipelineConfig} reading {@code values.getInt(KEY)} / {@code getString} / {@code getBoolean} /
 * {@code getDuration} / ...; a rule across keys goes in {@code PipelineConfig.checkAcross}.
 */
public final class ConfigKeys {
    public static final String KAFKA_PREFIX = "kafka.";
    public static final String KOCHAVA_PREFIX = "kochava.";
    public static final String DELIVERY_PREFIX = "delivery.";

    public static final String APPLICATION_ID = "application.id";
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String TOPIC_INTERACTIONS = "topics.interactions";
    public static final String TOPIC_IDENTITY_LINKS = "topics.identity-links";
    public static final String TOPIC_ENGAGEMENTS = "topics.engagements";
    public static final String TOPIC_DELIVERIES = "topics.deliveries";
    public static final String TOPIC_DEAD_LETTERS = "topics.dead-letters";
    public static final String TOPICS_CREATE = "topics.create";
    public static final String TOPICS_PARTITIONS = "topics.partitions";
    public static final String TOPICS_REPLICATION_FACTOR = "topics.replication-factor";
    public static final String DEDUP_RETENTION = "dedup.retention";
    public static final String MAX_FUTURE_SKEW = "validation.max-future-skew";
    public static final String MAX_EVENT_DATA_BYTES = "validation.max-event-data-bytes";
    public static final String REKEY = "partitioning.rekey";
    public static final String OUTPUT_ENGAGEMENTS = "output.engagements";
    public static final String DELIVERY_MODE = "delivery.mode";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String STATE_DIR = "state.dir";
    public static final String NUM_STREAM_THREADS = "num.stream.threads";
    public static final String MAX_THREAD_REPLACEMENTS = "errors.max-thread-replacements";
    public static final String THREAD_REPLACEMENT_WINDOW = "errors.thread-replacement-window";
    public static final String HTTP_PORT = "http.port";
    public static final String SHUTDOWN_TIMEOUT = "shutdown.timeout";

    /** The pipeline's own keys, in the order of the configuration reference. */
    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    APPLICATION_ID,
                    Type.STRING,
                    "kobot-pipeline",
                    Importance.HIGH,
                    "Kafka Streams application id: the consumer group, and the prefix of internal topics. Instances "
                            + "with the same id share the work.")
            .define(
                    BOOTSTRAP_SERVERS,
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Validators.hostPortList(),
                    Importance.HIGH,
                    "Kafka brokers, host:port[,host:port…].")
            // The registry client's own declaration of the key, under the same name.
            .define(SchemaRegistryConfig.CONFIG_DEF.configKeys().get(SCHEMA_REGISTRY_URL))
            .define(
                    SCHEMA_REGISTRY_USER_INFO,
                    Type.PASSWORD,
                    null,
                    Importance.MEDIUM,
                    "user:password for HTTP basic auth to the schema registry (secret).")
            .define(
                    TOPIC_INTERACTIONS,
                    Type.STRING,
                    TopicNames.DEFAULTS.interactions(),
                    Importance.HIGH,
                    "Raw BotInteraction records from bot servers (Avro or JSON).")
            .define(
                    TOPIC_IDENTITY_LINKS,
                    Type.STRING,
                    TopicNames.DEFAULTS.identityLinks(),
                    Importance.HIGH,
                    "Compacted IdentityLink records; must have as many partitions as the interactions topic.")
            .define(
                    TOPIC_ENGAGEMENTS,
                    Type.STRING,
                    TopicNames.DEFAULTS.engagements(),
                    Importance.MEDIUM,
                    "Deduplicated, enriched Engagement records.")
            .define(
                    TOPIC_DELIVERIES,
                    Type.STRING,
                    TopicNames.DEFAULTS.deliveries(),
                    Importance.MEDIUM,
                    "EngagementDelivery audit records, one per delivery outcome.")
            .define(
                    TOPIC_DEAD_LETTERS,
                    Type.STRING,
                    TopicNames.DEFAULTS.deadLetters(),
                    Importance.MEDIUM,
                    "DeadLetter records: bad input and permanent delivery failures.")
            .define(
                    TOPICS_CREATE,
                    Type.BOOLEAN,
                    false,
                    Importance.LOW,
                    "Create missing topics at start-up (identity links compacted, dead letters kept 30 days).")
            .define(
                    TOPICS_PARTITIONS,
                    Type.INT,
                    6,
                    Validators.atLeast(1),
                    Importance.LOW,
                    "Partitions of topics created with topics.create=true.")
            .define(
                    TOPICS_REPLICATION_FACTOR,
                    Type.INT,
                    -1,
                    Validators.between(-1, Short.MAX_VALUE),
                    Importance.LOW,
                    "Replication factor of created topics; -1 takes the broker's default.replication.factor.")
            .define(
                    DEDUP_RETENTION,
                    Type.STRING,
                    "PT24H",
                    Durations.atLeast(Duration.ofMillis(1)),
                    Importance.MEDIUM,
                    "How long an interaction_id is remembered to drop duplicates.")
            .define(
                    MAX_FUTURE_SKEW,
                    Type.STRING,
                    "PT10M",
                    Durations.atLeast(Duration.ZERO),
                    Importance.LOW,
                    "How far occurred_at may lie after the record's timestamp before it is dead-lettered.")
            .define(
                    MAX_EVENT_DATA_BYTES,
                    Type.INT,
                    65536,
                    Validators.atLeast(1),
                    Importance.LOW,
                    "Largest event_data accepted, in UTF-8 bytes.")
            .define(
                    REKEY,
                    Type.STRING,
                    "AUTO",
                    Validators.oneOf("AUTO", "ALWAYS", "NEVER"),
                    Importance.LOW,
                    "Re-keying by fb_user_id: AUTO only for records keyed otherwise, ALWAYS, or NEVER "
                            + "(mis-keyed records are dead-lettered).")
            .define(
                    OUTPUT_ENGAGEMENTS,
                    Type.BOOLEAN,
                    true,
                    Importance.LOW,
                    "Write engagements to topics.engagements (needed by delivery.mode=connect).")
            .define(
                    DELIVERY_MODE,
                    Type.STRING,
                    DeliveryMode.TOPOLOGY.configName(),
                    Validators.oneOf(DeliveryMode.names().toArray(String[]::new)),
                    Importance.HIGH,
                    "topology: deliver to Kochava inside the pipeline; connect: only write topics.engagements "
                            + "for a Kafka Connect sink; none: no delivery.")
            .define(
                    PROCESSING_GUARANTEE,
                    Type.STRING,
                    "exactly_once_v2",
                    Validators.oneOf("exactly_once_v2", "at_least_once"),
                    Importance.MEDIUM,
                    "Kafka Streams processing guarantee.")
            .define(
                    STATE_DIR,
                    Type.STRING,
                    null,
                    Importance.MEDIUM,
                    "Directory of local state stores (Kafka Streams' default when unset); keep it on a "
                            + "persistent volume for fast restarts.")
            .define(
                    NUM_STREAM_THREADS,
                    Type.INT,
                    1,
                    Validators.between(1, 1024),
                    Importance.MEDIUM,
                    "Stream threads in this instance.")
            .define(
                    MAX_THREAD_REPLACEMENTS,
                    Type.INT,
                    3,
                    Validators.atLeast(0),
                    Importance.LOW,
                    "A stream thread that dies of an unexpected error is replaced at most this many times "
                            + "within errors.thread-replacement-window; one more and the instance stops (exit code 1).")
            .define(
                    THREAD_REPLACEMENT_WINDOW,
                    Type.STRING,
                    "PT10M",
                    Durations.atLeast(Duration.ofSeconds(1)),
                    Importance.LOW,
                    "The window of errors.max-thread-replacements.")
            .define(
                    HTTP_PORT,
                    Type.INT,
                    8080,
                    Validators.between(0, 65535),
                    Importance.MEDIUM,
                    "Port of /metrics, /health/live and /health/ready; 0 turns the HTTP server off.")
            .define(
                    SHUTDOWN_TIMEOUT,
                    Type.STRING,
                    "PT30S",
                    Durations.atLeast(Duration.ZERO),
                    Importance.MEDIUM,
                    "On SIGTERM, how long Kafka Streams (and the delivery sink's in-flight requests) may take "
                            + "to close.");

    private ConfigKeys() {}
}
