package io.kobot.connect.kochava;

import io.kobot.config.ConfigDefs;
import io.kobot.config.ConfigProblem;
import io.kobot.config.ConfigValues;
import io.kobot.config.Durations;
import io.kobot.config.InvalidConfigurationException;
import io.kobot.config.Validators;
import io.kobot.kochava.KochavaClientConfig;
import io.kobot.kochava.Pii;
import io.kobot.registry.ConnectionKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.types.Password;

/**
 * The sink connector's settings. The {@code kochava.*} and {@code delivery.*} keys are those declared by
 * {@link KochavaClientConfig#CONFIG_DEF}, composed here (with its defaults, validators and docs) so the connector and
 * the topology deliver with the same policy; the {@code sink.*} keys are the connector's own;
 * {@code schema.registry.*} is only needed when values arrive as raw bytes (ByteArrayConverter) rather than through
 * a converter.
 *
 * <p>Every problem is reported at once, rules across keys and unknown keys in the connector's own namespaces
 * ({@link #OWN_PREFIXES}, with a "did you mean") included: see {@link #problems}.
 *
 * <p>To add a key of the connector's own: a name constant, a {@code define(...)} line in {@link #SINK_DEF} (next
 * order number), and an accessor reading it with {@code getInt}/{@code getString}/... (durations:
 * {@code Durations.parse(getString(KEY), true)}). A key added to the Kochava client arrives here by itself.
 */
public final class KochavaSinkConnectorConfig extends AbstractConfig {

    public static final String MAX_PENDING_RECORDS = "sink.max-pending-records";
    public static final String MAX_PENDING_BYTES = "sink.max-pending-bytes";
    public static final String STOP_TIMEOUT = "sink.stop-timeout";
    public static final String PII_MASK_KEY = Pii.MASK_KEY_SETTING;
    public static final String SCHEMA_REGISTRY_URL = ConnectionKeys.SCHEMA_REGISTRY_URL;
    public static final String SCHEMA_REGISTRY_USER_INFO = ConnectionKeys.SCHEMA_REGISTRY_USER_INFO;

    /** Names within these prefixes are the connector's: one it does not declare is a mistake, not Connect's key. */
    public static final List<String> OWN_PREFIXES = List.of("kochava.", "delivery.", "sink.", "schema.registry.");

    private static final String SINK_GROUP = "Sink";
    private static final String REGISTRY_GROUP = "Schema Registry";

    private static final ConfigDef SINK_DEF = new ConfigDef()
            .define(
                    MAX_PENDING_RECORDS,
                    Type.INT,
                    10_000,
                    Validators.atLeast(1),
                    Importance.MEDIUM,
                    "Records handed to the Kochava client and not yet delivered or dead-lettered, per task, past which the "
                            + "task pauses its partitions (during an outage) until half of them are done.",
                    SINK_GROUP,
                    1,
                    Width.SHORT,
                    "Max pending records")
            .define(
                    MAX_PENDING_BYTES,
                    Type.LONG,
                    64L * 1024 * 1024,
                    Validators.atLeast(1),
                    Importance.MEDIUM,
                    "Bytes of request bodies (the JSON sent to Kochava) the task's Kochava client holds for records not "
                            + "yet delivered or dead-lettered, past which the task pauses its partitions until they are "
                            + "down to half; with " + MAX_PENDING_RECORDS
                            + ", whichever is reached first. Checked after "
                            + "each put(), so one poll's batch may pass it.",
                    SINK_GROUP,
                    2,
                    Width.SHORT,
                    "Max pending bytes")
            .define(
                    STOP_TIMEOUT,
                    Type.STRING,
                    "PT30S",
                    Durations.atLeastMillis(Duration.ZERO),
                    Importance.LOW,
                    "How long a stopping task waits for requests in flight; undelivered records are not committed and are "
                            + "delivered again by the next owner of their partition.",
                    SINK_GROUP,
                    3,
                    Width.SHORT,
                    "Stop timeout")
            .define(
                    PII_MASK_KEY,
                    Type.PASSWORD,
                    null,
                    Importance.LOW,
                    "Key of the hash that stands in for user ids in logs; unset draws a random key per worker process.",
                    SINK_GROUP,
                    4,
                    Width.MEDIUM,
                    "PII mask key");

    /** The registry connection keys as the pipeline declares them, optional here (raw-bytes values only). */
    private static final ConfigDef REGISTRY_DEF = new ConfigDef()
            .define(ConnectionKeys.optionalKey(
                    SCHEMA_REGISTRY_URL,
                    "Only for values that reach the task as raw Confluent wire-format bytes (value.converter="
                            + "org.apache.kafka.connect.converters.ByteArrayConverter): the registry base URL. With "
                            + RegistryAvroConverter.class.getName() + " or JsonConverter, leave it unset.",
                    REGISTRY_GROUP,
                    1,
                    Width.LONG,
                    "Schema Registry URL"))
            .define(ConnectionKeys.optionalKey(
                    SCHEMA_REGISTRY_USER_INFO,
                    "user:password for HTTP basic auth to the schema registry of " + SCHEMA_REGISTRY_URL + ".",
                    REGISTRY_GROUP,
                    2,
                    Width.MEDIUM,
                    "Schema Registry credentials"));

    /**
     * The client's keys (but identity-link forwarding's: the sink reads engagements only, and the pipeline forwards
     * links only with delivery.mode=topology), the sink's, the registry's.
     */
    public static final ConfigDef CONFIG_DEF = ConfigDefs.compose(
            ConfigDefs.without(
                    KochavaClientConfig.CONFIG_DEF,
                    KochavaClientConfig.FORWARD_IDENTITY_LINKS,
                    KochavaClientConfig.IDENTITY_LINK_ENDPOINT,
                    KochavaClientConfig.IDENTITY_LINK_DEFAULT_APP_ID),
            SINK_DEF,
            REGISTRY_DEF);

    /** @throws InvalidConfigurationException (a Kafka {@code ConfigException}) listing every problem */
    public KochavaSinkConnectorConfig(Map<String, String> props) {
        super(CONFIG_DEF, requireValid(props));
    }

    private static Map<String, String> requireValid(Map<String, String> props) {
        InvalidConfigurationException.throwIfAny(problems(props));
        return props;
    }

    /** Every problem in {@code props}: per key, across keys (the client's rules), unknown keys of ours. */
    public static List<ConfigProblem> problems(Map<String, ?> props) {
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigValues values = ConfigValues.parse(CONFIG_DEF, props, problems);
        KochavaClientConfig.checkAcross(values, problems);
        ConnectionKeys.checkAcross(values, problems);
        problems.addAll(ConfigDefs.unknownKeys(CONFIG_DEF, props.keySet(), List.of(), OWN_PREFIXES));
        return problems;
    }

    /** Whether {@code key} is declared secret (a {@link Type#PASSWORD}). */
    public static boolean isSecret(String key) {
        return ConfigDefs.isSecret(CONFIG_DEF, key);
    }

    /** The Kochava client's settings, read from the same keys. */
    public KochavaClientConfig clientConfig() {
        return KochavaClientConfig.from(originals());
    }

    public int maxPendingRecords() {
        return getInt(MAX_PENDING_RECORDS);
    }

    public long maxPendingBytes() {
        return getLong(MAX_PENDING_BYTES);
    }

    /** The key of {@code Pii.mask}; null for a random one. */
    public String piiMaskKey() {
        Password key = getPassword(PII_MASK_KEY);
        return key == null ? null : key.value();
    }

    public Duration stopTimeout() {
        return Durations.parse(getString(STOP_TIMEOUT), true);
    }

    /**
     * Settings for the project's registry deserializer, when {@value #SCHEMA_REGISTRY_URL} is set: for values that
     * reach the task as Confluent wire-format bytes.
     */
    public Optional<Map<String, Object>> registryConfigs() {
        List<String> urls = getList(SCHEMA_REGISTRY_URL);
        if (urls == null || urls.isEmpty()) return Optional.empty();
        return Optional.of(ConnectionKeys.registryConfig(urls, getPassword(SCHEMA_REGISTRY_USER_INFO)));
    }
}
