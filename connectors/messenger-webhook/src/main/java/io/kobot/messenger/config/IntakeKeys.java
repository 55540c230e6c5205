package io.kobot.messenger.config;

import io.kobot.config.Durations;
import io.kobot.config.Validators;
import io.kobot.kochava.Pii;
import io.kobot.partitioning.JoinKeyPartitioner;
import io.kobot.registry.ConnectionKeys;
import io.kobot.schema.deadletter.RejectionReason;
import java.time.Duration;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Every key of the intake's own configuration, declared once, after the {@link ConnectionKeys} every standalone
 * component shares ({@code bootstrap.servers}, {@code schema.registry.*}); per-page keys are {@link PageKeys}'.
 * Besides them, {@value #KAFKA_PREFIX} keys pass through to the Kafka producer and admin client (security settings),
 * prefix removed. The reference in docs/messenger.md is generated from these declarations ({@link ConfigReferencePage}).
 */
public final class IntakeKeys {
    public static final String KAFKA_PREFIX = "kafka.";

    public static final String TOPIC_INTERACTIONS = "topics.interactions";
    public static final String TOPIC_DEAD_LETTERS = "topics.dead-letters";
    public static final String PARTITIONER = "partitioning.partitioner";
    public static final String APP_SECRET = "messenger.app-secret";
    public static final String VERIFY_TOKEN = "messenger.verify-token";
    public static final String WEBHOOK_PORT = "webhook.port";
    public static final String WEBHOOK_PATH = "webhook.path";
    public static final String MAX_BODY_BYTES = "webhook.max-body-bytes";
    public static final String MAX_CONNECTIONS = "webhook.max-connections";
    public static final String PUBLISH_TIMEOUT = "webhook.publish-timeout";
    public static final String HTTP_PORT = "http.port";
    public static final String SHUTDOWN_TIMEOUT = "shutdown.timeout";
    public static final String PII_MASK_KEY = Pii.MASK_KEY_SETTING;

    /** Meta waits this long for an answer before it counts a delivery as failed and retries it. */
    public static final Duration META_ANSWER_LIMIT = Duration.ofSeconds(20);

    /** The connection keys, then the intake's own. */
    public static final ConfigDef CONFIG_DEF = new ConfigDef(ConnectionKeys.CONFIG_DEF)
            .define(
                    TOPIC_INTERACTIONS,
                    Type.STRING,
                    "bot.interactions",
                    new ConfigDef.NonEmptyStringWithoutControlChars(),
                    Importance.HIGH,
                    "The topic the pipeline reads BotInteraction records from.")
            .define(
                    PARTITIONER,
                    Type.STRING,
                    JoinKeyPartitioner.MURMUR2.name(),
                    Validators.oneOf(JoinKeyPartitioner.names()),
                    Importance.MEDIUM,
                    "How records are placed by their key (the user's PSID): set it as the pipeline's "
                            + "partitioning.partitioner, so that they sit where the pipeline looks for them and "
                            + "skip its repartition topic. MURMUR2: the Java client's default; CRC32: librdkafka's; "
                            + "FNV1A: Sarama's.")
            .define(
                    TOPIC_DEAD_LETTERS,
                    Type.STRING,
                    "bot.interactions.dlq",
                    new ConfigDef.NonEmptyStringWithoutControlChars(),
                    Importance.MEDIUM,
                    "The pipeline's dead-letter topic, where malformed webhook items go (reason "
                            + RejectionReason.WEBHOOK_ITEM_MALFORMED.name() + ").")
            .define(
                    APP_SECRET,
                    Type.PASSWORD,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Importance.HIGH,
                    "The Meta app's secret: the key of the X-Hub-Signature-256 HMAC every POST must carry (secret).")
            .define(
                    VERIFY_TOKEN,
                    Type.PASSWORD,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Importance.HIGH,
                    "The verify token entered in the app's webhook settings, checked on the verification GET (secret).")
            .define(
                    WEBHOOK_PORT,
                    Type.INT,
                    8088,
                    Validators.between(0, 65535),
                    Importance.HIGH,
                    "Port of the webhook (behind the TLS-terminating proxy Meta calls); 0 for any free port.")
            .define(
                    WEBHOOK_PATH,
                    Type.STRING,
                    "/webhook",
                    new ConfigDef.NonEmptyStringWithoutControlChars(),
                    Importance.MEDIUM,
                    "Path of the webhook, for the verification GET and the event POSTs.")
            .define(
                    MAX_BODY_BYTES,
                    Type.INT,
                    1_048_576,
                    Validators.between(1024, 16 * 1_048_576),
                    Importance.MEDIUM,
                    "Largest POST body accepted; a larger one is answered 413 unread.")
            .define(
                    MAX_CONNECTIONS,
                    Type.INT,
                    256,
                    Validators.between(1, 10_000),
                    Importance.MEDIUM,
                    "Most connections the webhook serves at once (each holds a thread while open, up to 30 s idle); "
                            + "past it, new connections wait in the listen backlog until one closes. Size it above "
                            + "the proxy's connections to the intake.")
            .define(
                    PUBLISH_TIMEOUT,
                    Type.STRING,
                    "PT10S",
                    Durations.atLeast(Duration.ofMillis(100)),
                    Importance.MEDIUM,
                    "How long a POST waits for the broker to acknowledge its records before it is answered 503 "
                            + "(Meta then retries it); less than Meta's 20 s.")
            .define(
                    HTTP_PORT,
                    Type.INT,
                    8080,
                    Validators.between(0, 65535),
                    Importance.MEDIUM,
                    "Port of /metrics, /health/live and /health/ready, as the pipeline's; 0 turns them off.")
            .define(
                    SHUTDOWN_TIMEOUT,
                    Type.STRING,
                    "PT30S",
                    Durations.atLeast(Duration.ZERO),
                    Importance.LOW,
                    "On SIGTERM, how long requests in flight may take to be answered and the producer to flush.")
            .define(
                    PII_MASK_KEY,
                    Type.PASSWORD,
                    null,
                    Importance.LOW,
                    "Key of the hash that stands in for user ids in logs (secret); unset, a random key per process.");

    private IntakeKeys() {}
}
