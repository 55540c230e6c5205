package io.kobot.streams.config;

import io.kobot.config.Durations;
import io.kobot.config.Validators;
import io.kobot.kochava.Pii;
import io.kobot.partitioning.JoinKeyPartitioner;
import io.kobot.registry.ConnectionKeys;
import io.kobot.streams.topology.TopicNames;
import java.time.Duration;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Every key of the pipeline's own configuration, declared once in {@link #CONFIG_DEF} with its type, default,
 * validator, importance and documentation; {@link PipelineConfig#CONFIG_DEF} composes it with the Kochava client's
 * and the delivery sink's keys, and the configuration reference (docs/configuration.md) is generated from that (see
 * {@link ConfigReferencePage}).
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
    public static final String BOOTSTRAP_SERVERS = ConnectionKeys.BOOTSTRAP_SERVERS;
    public static final String SCHEMA_REGISTRY_URL = ConnectionKeys.SCHEMA_REGISTRY_URL;
    public static final String SCHEMA_REGISTRY_USER_INFO = ConnectionKeys.SCHEMA_REGISTRY_USER_INFO;
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
    public static final String MAX_CLOCK_SKEW = "validation.max-clock-skew";
    public static final String DEDUP_CHANGELOG_FIX_RETENTION = "dedup.changelog.fix-retention";
    public static final String MAX_STRING_BYTES = "validation.max-string-bytes";
    public static final String MAX_TRACKING_URL_BYTES = "validation.max-tracking-url-bytes";
    public static final String MAX_USER_AGENT_BYTES = "validation.max-user-agent-bytes";
    public static final String MAX_DEVICE_IDS = "validation.max-device-ids";
    public static final String MAX_DEVICE_IDS_BYTES = "validation.max-device-ids-bytes";
    public static final String MAX_EVENT_DATA_DEPTH = "validation.max-event-data-depth";
    public static final String MAX_LINK_DEVICE_IDS = "validation.max-link-device-ids";
    public static final String MAX_LINK_DEVICE_IDS_BYTES = "validation.max-link-device-ids-bytes";
    public static final String MAX_ENGAGEMENT_BYTES = "validation.max-engagement-bytes";
    public static final String REKEY = "partitioning.rekey";
    public static final String PARTITIONER = "partitioning.partitioner";
    public static final String OUTPUT_ENGAGEMENTS = "output.engagements";
    public static final String DELIVERY_MODE = "delivery.mode";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String STATE_DIR = "state.dir";
    public static final String NUM_STREAM_THREADS = "num.stream.threads";
    public static final String MAX_THREAD_REPLACEMENTS = "errors.max-thread-replacements";
    public static final String THREAD_REPLACEMENT_WINDOW = "errors.thread-replacement-window";
    public static final String HTTP_PORT = "http.port";
    public static final String SHUTDOWN_TIMEOUT = "shutdown.timeout";
    public static final String STARTUP_KAFKA_TIMEOUT = "startup.kafka-timeout";

    /**
     * What a record written by the job may carry besides its engagement, at most: the outbox entry's header, Kafka's
     * record and batch overhead, headers. {@link #MAX_ENGAGEMENT_BYTES} plus this and the key must fit the producer's
     * {@code max.request.size}.
     */
    public static final int ENGAGEMENT_HEADROOM_BYTES = 4096;

    public static final String PII_MASK_KEY = Pii.MASK_KEY_SETTING;

    /** The pipeline's own keys, in the order of the configuration reference. */
    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    APPLICATION_ID,
                    Type.STRING,
                    "kobot-pipeline",
                    Importance.HIGH,
                    "Kafka Streams application id: the consumer group, and the prefix of internal topics. Instances "
                            + "with the same id share the work.")
            // How every standalone component reaches Kafka and the registry, declared once.
            .define(ConnectionKeys.key(BOOTSTRAP_SERVERS))
            .define(ConnectionKeys.key(SCHEMA_REGISTRY_URL))
            .define(ConnectionKeys.key(SCHEMA_REGISTRY_USER_INFO))
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
                    DEDUP_CHANGELOG_FIX_RETENTION,
                    Type.BOOLEAN,
                    false,
                    Importance.LOW,
                    "At start-up, raise the dedup changelog's retention.ms to dedup.retention plus Streams' "
                            + "windowstore.changelog.additional.retention.ms when it is shorter (else the job exits "
                            + "with code 3 and says how).")
            .define(
                    MAX_FUTURE_SKEW,
                    Type.STRING,
                    "PT10M",
                    Durations.atLeast(Duration.ZERO),
                    Importance.LOW,
                    "How far occurred_at may lie after the record's timestamp before it is dead-lettered.")
            .define(
                    MAX_CLOCK_SKEW,
                    Type.STRING,
                    "PT1H",
                    Durations.atLeast(Duration.ZERO),
                    Importance.LOW,
                    "How far a record's Kafka timestamp may lie after the wall clock when it is read; later ones are "
                            + "dead-lettered (TIMESTAMP_IN_FUTURE) and never advance the dedup store's time.")
            .define(
                    MAX_EVENT_DATA_BYTES,
                    Type.INT,
                    65536,
                    Validators.atLeast(1),
                    Importance.LOW,
                    "Largest event_data accepted, in UTF-8 bytes.")
            .define(
                    MAX_EVENT_DATA_DEPTH,
                    Type.INT,
                    32,
                    Validators.between(1, 1000),
                    Importance.LOW,
                    "Deepest nesting of objects and arrays in event_data (EVENT_DATA_TOO_DEEP).")
            .define(
                    MAX_STRING_BYTES,
                    Type.INT,
                    1024,
                    Validators.atLeast(1),
                    Importance.LOW,
                    "Longest interaction_id, kochava_app_id, fb_user_id, event_name and origination_ip, in UTF-8 "
                            + "bytes (FIELD_TOO_LONG); also the longest fb_user_id of an identity link.")
            .define(
                    MAX_TRACKING_URL_BYTES,
                    Type.INT,
                    2048,
                    Validators.atLeast(1),
                    Importance.LOW,
                    "Longest tracking_url, in UTF-8 bytes (FIELD_TOO_LONG).")
            .define(
                    MAX_USER_AGENT_BYTES,
                    Type.INT,
                    2048,
                    Validators.atLeast(1),
                    Importance.LOW,
                    "Longest user_agent, in UTF-8 bytes (FIELD_TOO_LONG).")
            .define(
                    MAX_DEVICE_IDS,
                    Type.INT,
                    32,
                    Validators.atLeast(0),
                    Importance.LOW,
                    "Most entries in an interaction's device_ids (DEVICE_IDS_TOO_MANY).")
            .define(
                    MAX_DEVICE_IDS_BYTES,
                    Type.INT,
                    4096,
                    Validators.atLeast(0),
                    Importance.LOW,
                    "Most UTF-8 bytes of an interaction's device_ids keys and values together "
                            + "(DEVICE_IDS_TOO_LARGE).")
            .define(
                    MAX_LINK_DEVICE_IDS,
                    Type.INT,
                    64,
                    Validators.atLeast(0),
                    Importance.LOW,
                    "Most entries in an identity link's device_ids (IDENTITY_LINK_TOO_LARGE).")
            .define(
                    MAX_LINK_DEVICE_IDS_BYTES,
                    Type.INT,
                    16384,
                    Validators.atLeast(0),
                    Importance.LOW,
                    "Most UTF-8 bytes of an identity link's device_ids keys and values together "
                            + "(IDENTITY_LINK_TOO_LARGE).")
            .define(
                    MAX_ENGAGEMENT_BYTES,
                    Type.INT,
                    262144,
                    Validators.atLeast(1),
                    Importance.LOW,
                    "Largest engagement (Avro), checked after the join and before it is written anywhere "
                            + "(ENGAGEMENT_TOO_LARGE). Must hold the largest valid interaction (the sum of the limits "
                            + "above) and stay below the producer's max.request.size by the record key and "
                            + ENGAGEMENT_HEADROOM_BYTES + " bytes.")
            .define(
                    REKEY,
                    Type.STRING,
                    "AUTO",
                    Validators.oneOf("AUTO", "ALWAYS", "NEVER"),
                    Importance.LOW,
                    "Re-keying by fb_user_id: AUTO only for records keyed otherwise or placed by another "
                            + "partitioner than partitioning.partitioner, ALWAYS, or NEVER (such records are "
                            + "dead-lettered).")
            .define(
                    PARTITIONER,
                    Type.STRING,
                    "MURMUR2",
                    Validators.oneOf(JoinKeyPartitioner.names()),
                    Importance.MEDIUM,
                    "Where a user's records belong: the partition this function gives their fb_user_id. Choose "
                            + "the producers' own, so that their records skip the repartition topic: MURMUR2 as "
                            + "Kafka's Java clients place keys; CRC32 as librdkafka-based clients do by default "
                            + "(Python, .NET, Node, confluent-kafka-go, kcat); FNV1A as Go's Sarama and kafka-go "
                            + "(Hash) do. Records placed otherwise are re-keyed (partitioning.rekey). Part of where "
                            + "state lives: change it only with a new application.id.")
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
                    "Kafka Streams processing guarantee; at_least_once is refused with "
                            + "delivery.mode=topology (a crash could lose a dead letter); with delivery.mode=connect "
                            + "it loses nothing but may write an engagement twice after a crash.")
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
                            + "to close.")
            .define(
                    STARTUP_KAFKA_TIMEOUT,
                    Type.STRING,
                    "PT30S",
                    Durations.atLeast(Duration.ofSeconds(1)),
                    Importance.LOW,
                    "How long the start-up checks wait for an answer from the Kafka cluster before giving up "
                            + "(exit code 4).")
            .define(
                    PII_MASK_KEY,
                    Type.PASSWORD,
                    null,
                    Importance.LOW,
                    "Key of the hash that stands in for user ids in logs (secret); set the same key on every "
                            + "instance to correlate them, or leave it unset for a random key per process.");

    private ConfigKeys() {}
}
