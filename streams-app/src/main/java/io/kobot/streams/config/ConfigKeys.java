package io.kobot.streams.config;

import io.kobot.kochava.Pii;
import io.kobot.streams.topology.TopicNames;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every key of the pipeline configuration, with its type, default and documentation, in one place: the
 * configuration reference (docs/configuration.md) is generated from this list (see {@link ConfigReference}).
 *
 * <p>Besides these keys, three prefixes pass through untouched: {@value #KAFKA_PREFIX} (to Kafka Streams and its
 * clients, with the prefix removed), and {@value #KOCHAVA_PREFIX} / {@value #DELIVERY_PREFIX} (to the Kochava
 * client, which documents and validates its own keys).
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

    /** The registry, in the order of the configuration reference. */
    public static final List<ConfigKey> ALL = List.of(
            ConfigKey.optional(
                    APPLICATION_ID,
                    ValueType.string(),
                    "kobot-pipeline",
                    "Kafka Streams application id: the consumer group, and the prefix of internal topics. Instances "
                            + "with the same id share the work."),
            ConfigKey.required(BOOTSTRAP_SERVERS, ValueType.string(), "Kafka brokers, host:port[,host:port…]."),
            ConfigKey.required(
                    SCHEMA_REGISTRY_URL,
                    ValueType.string(),
                    "Confluent-API schema registry base URL(s), or mock://<scope> for an in-memory one."),
            ConfigKey.optional(
                    SCHEMA_REGISTRY_USER_INFO,
                    ValueType.password(),
                    null,
                    "user:password for HTTP basic auth to the schema registry (secret)."),
            ConfigKey.optional(
                    TOPIC_INTERACTIONS,
                    ValueType.string(),
                    TopicNames.DEFAULTS.interactions(),
                    "Raw BotInteraction records from bot servers (Avro or JSON)."),
            ConfigKey.optional(
                    TOPIC_IDENTITY_LINKS,
                    ValueType.string(),
                    TopicNames.DEFAULTS.identityLinks(),
                    "Compacted IdentityLink records; must have as many partitions as the interactions topic."),
            ConfigKey.optional(
                    TOPIC_ENGAGEMENTS,
                    ValueType.string(),
                    TopicNames.DEFAULTS.engagements(),
                    "Deduplicated, enriched Engagement records."),
            ConfigKey.optional(
                    TOPIC_DELIVERIES,
                    ValueType.string(),
                    TopicNames.DEFAULTS.deliveries(),
                    "EngagementDelivery audit records, one per delivery outcome."),
            ConfigKey.optional(
                    TOPIC_DEAD_LETTERS,
                    ValueType.string(),
                    TopicNames.DEFAULTS.deadLetters(),
                    "DeadLetter records: bad input and permanent delivery failures."),
            ConfigKey.optional(
                    TOPICS_CREATE,
                    ValueType.bool(),
                    "false",
                    "Create missing topics at start-up (identity links compacted, dead letters kept 30 days)."),
            ConfigKey.optional(
                    TOPICS_PARTITIONS,
                    ValueType.integer(1, Integer.MAX_VALUE),
                    "6",
                    "Partitions of topics created with topics.create=true."),
            ConfigKey.optional(
                    TOPICS_REPLICATION_FACTOR,
                    ValueType.integer(-1, Short.MAX_VALUE),
                    "-1",
                    "Replication factor of created topics; -1 takes the broker's default.replication.factor."),
            ConfigKey.optional(
                    DEDUP_RETENTION,
                    ValueType.duration(Duration.ofMillis(1)),
                    "PT24H",
                    "How long an interaction_id is remembered to drop duplicates."),
            ConfigKey.optional(
                    DEDUP_CHANGELOG_FIX_RETENTION,
                    ValueType.bool(),
                    "false",
                    "At start-up, raise the dedup changelog's retention.ms to dedup.retention plus Streams' "
                            + "windowstore.changelog.additional.retention.ms when it is shorter (else the job exits "
                            + "with code 3 and says how)."),
            ConfigKey.optional(
                    MAX_FUTURE_SKEW,
                    ValueType.duration(Duration.ZERO),
                    "PT10M",
                    "How far occurred_at may lie after the record's timestamp before it is dead-lettered."),
            ConfigKey.optional(
                    MAX_CLOCK_SKEW,
                    ValueType.duration(Duration.ZERO),
                    "PT1H",
                    "How far a record's Kafka timestamp may lie after the wall clock when it is read; later ones are "
                            + "dead-lettered (TIMESTAMP_IN_FUTURE) and never advance the dedup store's time."),
            ConfigKey.optional(
                    MAX_EVENT_DATA_BYTES,
                    ValueType.integer(1, Integer.MAX_VALUE),
                    "65536",
                    "Largest event_data accepted, in UTF-8 bytes."),
            ConfigKey.optional(
                    MAX_EVENT_DATA_DEPTH,
                    ValueType.integer(1, 1000),
                    "32",
                    "Deepest nesting of objects and arrays in event_data (EVENT_DATA_TOO_DEEP)."),
            ConfigKey.optional(
                    MAX_STRING_BYTES,
                    ValueType.integer(1, Integer.MAX_VALUE),
                    "1024",
                    "Longest interaction_id, kochava_app_id, fb_user_id, event_name and origination_ip, in UTF-8 "
                            + "bytes (FIELD_TOO_LONG); also the longest fb_user_id of an identity link."),
            ConfigKey.optional(
                    MAX_TRACKING_URL_BYTES,
                    ValueType.integer(1, Integer.MAX_VALUE),
                    "2048",
                    "Longest tracking_url, in UTF-8 bytes (FIELD_TOO_LONG)."),
            ConfigKey.optional(
                    MAX_USER_AGENT_BYTES,
                    ValueType.integer(1, Integer.MAX_VALUE),
                    "2048",
                    "Longest user_agent, in UTF-8 bytes (FIELD_TOO_LONG)."),
            ConfigKey.optional(
                    MAX_DEVICE_IDS,
                    ValueType.integer(0, Integer.MAX_VALUE),
                    "32",
                    "Most entries in an interaction's device_ids (DEVICE_IDS_TOO_MANY)."),
            ConfigKey.optional(
                    MAX_DEVICE_IDS_BYTES,
                    ValueType.integer(0, Integer.MAX_VALUE),
                    "4096",
                    "Most UTF-8 bytes of an interaction's device_ids keys and values together "
                            + "(DEVICE_IDS_TOO_LARGE)."),
            ConfigKey.optional(
                    MAX_LINK_DEVICE_IDS,
                    ValueType.integer(0, Integer.MAX_VALUE),
                    "64",
                    "Most entries in an identity link's device_ids (IDENTITY_LINK_TOO_LARGE)."),
            ConfigKey.optional(
                    MAX_LINK_DEVICE_IDS_BYTES,
                    ValueType.integer(0, Integer.MAX_VALUE),
                    "16384",
                    "Most UTF-8 bytes of an identity link's device_ids keys and values together "
                            + "(IDENTITY_LINK_TOO_LARGE)."),
            ConfigKey.optional(
                    MAX_ENGAGEMENT_BYTES,
                    ValueType.integer(1, Integer.MAX_VALUE),
                    "262144",
                    "Largest engagement (Avro), checked after the join and before it is written anywhere "
                            + "(ENGAGEMENT_TOO_LARGE). Must hold the largest valid interaction (the sum of the limits "
                            + "above) and stay below the producer's max.request.size by the record key and "
                            + ENGAGEMENT_HEADROOM_BYTES + " bytes."),
            ConfigKey.optional(
                    REKEY,
                    ValueType.oneOf(List.of("AUTO", "ALWAYS", "NEVER")),
                    "AUTO",
                    "Re-keying by fb_user_id: AUTO only for records keyed otherwise or placed by another "
                            + "partitioner than murmur2, ALWAYS, or NEVER (such records are dead-lettered)."),
            ConfigKey.optional(
                    OUTPUT_ENGAGEMENTS,
                    ValueType.bool(),
                    "true",
                    "Write engagements to topics.engagements (needed by delivery.mode=connect)."),
            ConfigKey.optional(
                    DELIVERY_MODE,
                    ValueType.oneOf(DeliveryMode.names()),
                    DeliveryMode.TOPOLOGY.configName(),
                    "topology: deliver to Kochava inside the pipeline; connect: only write topics.engagements "
                            + "for a Kafka Connect sink; none: no delivery."),
            ConfigKey.optional(
                    PROCESSING_GUARANTEE,
                    ValueType.oneOf(List.of("exactly_once_v2", "at_least_once")),
                    "exactly_once_v2",
                    "Kafka Streams processing guarantee; at_least_once is refused with "
                            + "delivery.mode=topology (a crash could lose an interaction between dedup and the "
                            + "outbox)."),
            ConfigKey.optional(
                    STATE_DIR,
                    ValueType.string(),
                    null,
                    "Directory of local state stores (Kafka Streams' default when unset); keep it on a "
                            + "persistent volume for fast restarts."),
            ConfigKey.optional(NUM_STREAM_THREADS, ValueType.integer(1, 1024), "1", "Stream threads in this instance."),
            ConfigKey.optional(
                    MAX_THREAD_REPLACEMENTS,
                    ValueType.integer(0, Integer.MAX_VALUE),
                    "3",
                    "A stream thread that dies of an unexpected error is replaced at most this many times "
                            + "within errors.thread-replacement-window; one more and the instance stops (exit code 1)."),
            ConfigKey.optional(
                    THREAD_REPLACEMENT_WINDOW,
                    ValueType.duration(Duration.ofSeconds(1)),
                    "PT10M",
                    "The window of errors.max-thread-replacements."),
            ConfigKey.optional(
                    HTTP_PORT,
                    ValueType.integer(0, 65535),
                    "8080",
                    "Port of /metrics, /health/live and /health/ready; 0 turns the HTTP server off."),
            ConfigKey.optional(
                    SHUTDOWN_TIMEOUT,
                    ValueType.duration(Duration.ZERO),
                    "PT30S",
                    "On SIGTERM, how long Kafka Streams (and the delivery sink's in-flight requests) may take "
                            + "to close."),
            ConfigKey.optional(
                    STARTUP_KAFKA_TIMEOUT,
                    ValueType.duration(Duration.ofSeconds(1)),
                    "PT30S",
                    "How long the start-up checks wait for an answer from the Kafka cluster before giving up "
                            + "(exit code 4)."),
            ConfigKey.optional(
                    PII_MASK_KEY,
                    ValueType.password(),
                    null,
                    "Key of the hash that stands in for user ids in logs (secret); set the same key on every "
                            + "instance to correlate them, or leave it unset for a random key per process."));

    private static final Map<String, ConfigKey> BY_NAME = byName();

    private ConfigKeys() {}

    public static Optional<ConfigKey> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Whether {@code name} is a pass-through key rather than one of the registry's. */
    public static boolean isPassThrough(String name) {
        return !BY_NAME.containsKey(name)
                && (name.startsWith(KAFKA_PREFIX)
                        || name.startsWith(KOCHAVA_PREFIX)
                        || name.startsWith(DELIVERY_PREFIX));
    }

    private static Map<String, ConfigKey> byName() {
        Map<String, ConfigKey> map = new LinkedHashMap<>();
        for (ConfigKey key : ALL) {
            if (map.put(key.name(), key) != null) {
                throw new IllegalStateException("duplicate configuration key " + key.name());
            }
        }
        return Map.copyOf(map);
    }
}
