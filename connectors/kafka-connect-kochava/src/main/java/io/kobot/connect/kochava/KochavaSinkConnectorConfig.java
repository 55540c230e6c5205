package io.kobot.connect.kochava;

import io.kobot.kochava.ConfigError;
import io.kobot.kochava.InvalidConfigException;
import io.kobot.kochava.KochavaClientConfig;
import io.kobot.kochava.Pii;
import io.kobot.registry.SchemaRegistryConfig;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The sink connector's settings. The {@code kochava.*} and {@code delivery.*} keys are those of
 * {@link KochavaClientConfig}, with its defaults, so the connector and the topology deliver with the same policy;
 * the {@code sink.*} keys are the connector's own; {@code schema.registry.*} is only needed when values arrive as
 * raw bytes (ByteArrayConverter) rather than through a converter.
 */
public final class KochavaSinkConnectorConfig extends AbstractConfig {

    public static final String MAX_PENDING_RECORDS = "sink.max-pending-records";
    public static final String MAX_PENDING_BYTES = "sink.max-pending-bytes";
    public static final String STOP_TIMEOUT = "sink.stop-timeout";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String PII_MASK_KEY = Pii.MASK_KEY_SETTING;

    private static final String KOCHAVA_GROUP = "Kochava";
    private static final String DELIVERY_GROUP = "Delivery";
    private static final String SINK_GROUP = "Sink";
    private static final String REGISTRY_GROUP = "Schema Registry";

    private static final KochavaClientConfig CLIENT_DEFAULTS = KochavaClientConfig.defaults();

    public static final ConfigDef CONFIG_DEF = configDef();

    public KochavaSinkConnectorConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
    }

    /**
     * The Kochava client's settings. The client re-validates them as a whole (e.g. max backoff at least the initial
     * one), so its errors surface here as a {@link ConfigException} naming the key.
     */
    public KochavaClientConfig clientConfig() {
        try {
            return KochavaClientConfig.from(clientProps());
        } catch (InvalidConfigException e) {
            ConfigError first = e.errors().get(0);
            throw new ConfigException(first.key(), originals().get(first.key()), e.getMessage());
        }
    }

    /** Every error the Kochava client finds in these settings, by key; empty when they are valid. */
    public List<ConfigError> clientConfigErrors() {
        try {
            KochavaClientConfig.from(clientProps());
            return List.of();
        } catch (InvalidConfigException e) {
            return e.errors();
        }
    }

    /** The key of {@code Pii.mask}; null for a random one. */
    public String piiMaskKey() {
        Password key = getPassword(PII_MASK_KEY);
        return key == null ? null : key.value();
    }

    public int maxPendingRecords() {
        return getInt(MAX_PENDING_RECORDS);
    }

    public long maxPendingBytes() {
        return getLong(MAX_PENDING_BYTES);
    }

    public Duration stopTimeout() {
        return Duration.ofMillis(getLong(STOP_TIMEOUT));
    }

    /**
     * Settings for the project's registry deserializer, when {@value #SCHEMA_REGISTRY_URL} is set: for values that
     * reach the task as Confluent wire-format bytes.
     */
    public Optional<Map<String, Object>> registryConfigs() {
        String url = getString(SCHEMA_REGISTRY_URL);
        if (url == null || url.isBlank()) return Optional.empty();
        Map<String, Object> configs = new HashMap<>();
        configs.put(SchemaRegistryConfig.URL_CONFIG, url);
        Password userInfo = getPassword(SCHEMA_REGISTRY_USER_INFO);
        if (userInfo != null) {
            configs.put(
                    SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, SchemaRegistryConfig.USER_INFO_SOURCE);
            configs.put(SchemaRegistryConfig.BASIC_AUTH_USER_INFO_CONFIG, userInfo);
        }
        return Optional.of(configs);
    }

    private Map<String, Object> clientProps() {
        Map<String, Object> props = new HashMap<>();
        for (String key : List.of(
                KochavaClientConfig.ENDPOINT,
                KochavaClientConfig.BODY_MODE,
                KochavaClientConfig.FB_USER_ID_PARAM,
                KochavaClientConfig.PING_ALLOWED_HOSTS,
                KochavaClientConfig.ALLOW_PRIVATE_ADDRESSES,
                KochavaClientConfig.REQUEST_TIMEOUT,
                KochavaClientConfig.CONNECT_TIMEOUT,
                KochavaClientConfig.MAX_CONNECTIONS,
                KochavaClientConfig.MAX_IN_FLIGHT,
                KochavaClientConfig.PING_MAX_CONNECTIONS,
                KochavaClientConfig.PING_MAX_IN_FLIGHT,
                KochavaClientConfig.MAX_RETRY_TIME,
                KochavaClientConfig.RETRY_INITIAL_BACKOFF,
                KochavaClientConfig.RETRY_MAX_BACKOFF,
                KochavaClientConfig.RATE_LIMIT_PER_APP)) props.put(key, get(key));
        return props;
    }

    private static ConfigDef configDef() {
        int order = 0;
        ConfigDef def = new ConfigDef();
        def.define(
                        KochavaClientConfig.ENDPOINT,
                        Type.STRING,
                        KochavaClientConfig.DEFAULT_ENDPOINT,
                        new HttpUrl(),
                        Importance.HIGH,
                        "Absolute http(s) URL that events are POSTed to.",
                        KOCHAVA_GROUP,
                        ++order,
                        Width.LONG,
                        "Engagement endpoint")
                .define(
                        KochavaClientConfig.BODY_MODE,
                        Type.STRING,
                        "object",
                        ConfigDef.CaseInsensitiveValidString.in("object", "array"),
                        Importance.LOW,
                        "object: one event per POST (Kochava's /track/json); array: a JSON array of each app's events per POST, "
                                + "for endpoints that accept one.",
                        KOCHAVA_GROUP,
                        ++order,
                        Width.SHORT,
                        "Body mode")
                .define(
                        KochavaClientConfig.FB_USER_ID_PARAM,
                        Type.STRING,
                        KochavaClientConfig.DEFAULT_FB_USER_ID_PARAM,
                        new ConfigDef.NonEmptyString(),
                        Importance.LOW,
                        "Query parameter that carries fb_user_id on impression and click pings.",
                        KOCHAVA_GROUP,
                        ++order,
                        Width.MEDIUM,
                        "Ping fb_user_id parameter")
                .define(
                        KochavaClientConfig.PING_ALLOWED_HOSTS,
                        Type.LIST,
                        KochavaClientConfig.DEFAULT_PING_ALLOWED_HOSTS,
                        Importance.MEDIUM,
                        "Hosts that impression and click tracking URLs may name: a host name, or *.name "
                                + "for its subdomains; a record naming another host is a permanent failure, never requested.",
                        KOCHAVA_GROUP,
                        ++order,
                        Width.LONG,
                        "Allowed tracking hosts")
                .define(
                        KochavaClientConfig.ALLOW_PRIVATE_ADDRESSES,
                        Type.BOOLEAN,
                        false,
                        Importance.LOW,
                        "Allow requests to loopback, link-local, private and other non-public addresses; only for local "
                                + "stand-ins.",
                        KOCHAVA_GROUP,
                        ++order,
                        Width.SHORT,
                        "Allow private addresses")
                .define(
                        PII_MASK_KEY,
                        Type.PASSWORD,
                        null,
                        Importance.LOW,
                        "Key of the hash that stands in for user ids in logs; unset draws a random key per worker process.",
                        KOCHAVA_GROUP,
                        ++order,
                        Width.MEDIUM,
                        "PII mask key");

        order = 0;
        def.define(
                        KochavaClientConfig.REQUEST_TIMEOUT,
                        Type.LONG,
                        CLIENT_DEFAULTS.requestTimeout().toMillis(),
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        "Milliseconds one attempt may take in all (connection, request "
                                + "and response); the exchange is then cancelled and retried.",
                        DELIVERY_GROUP,
                        ++order,
                        Width.SHORT,
                        "Request timeout (ms)")
                .define(
                        KochavaClientConfig.CONNECT_TIMEOUT,
                        Type.LONG,
                        CLIENT_DEFAULTS.connectTimeout().toMillis(),
                        Range.atLeast(1),
                        Importance.LOW,
                        "Milliseconds to establish a connection.",
                        DELIVERY_GROUP,
                        ++order,
                        Width.SHORT,
                        "Connect timeout (ms)")
                .define(
                        KochavaClientConfig.MAX_CONNECTIONS,
                        Type.INT,
                        CLIENT_DEFAULTS.maxConnections(),
                        Range.atLeast(1),
                        Importance.LOW,
                        "Pooled keep-alive connections per task, in total and per host.",
                        DELIVERY_GROUP,
                        ++order,
                        Width.SHORT,
                        "Max connections")
                .define(
                        KochavaClientConfig.MAX_IN_FLIGHT,
                        Type.INT,
                        CLIENT_DEFAULTS.maxInFlight(),
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        "Requests in flight at once per task; more wait in a queue. This is the batching: "
                                + "a put() hands every record over and they travel concurrently.",
                        DELIVERY_GROUP,
                        ++order,
                        Width.SHORT,
                        "Max in flight")
                .define(
                        KochavaClientConfig.PING_MAX_CONNECTIONS,
                        Type.INT,
                        CLIENT_DEFAULTS.pingMaxConnections(),
                        Range.atLeast(1),
                        Importance.LOW,
                        "Pooled connections of impression and click pings per task, apart " + "from the POSTs' pool.",
                        DELIVERY_GROUP,
                        ++order,
                        Width.SHORT,
                        "Ping max connections")
                .define(
                        KochavaClientConfig.PING_MAX_IN_FLIGHT,
                        Type.INT,
                        CLIENT_DEFAULTS.pingMaxInFlight(),
                        Range.atLeast(1),
                        Importance.LOW,
                        "Pings in flight at once per task, apart from POSTs.",
                        DELIVERY_GROUP,
                        ++order,
                        Width.SHORT,
                        "Ping max in flight")
                .define(
                        KochavaClientConfig.MAX_RETRY_TIME,
                        Type.LONG,
                        CLIENT_DEFAULTS.maxRetryTime().toMillis(),
                        Range.atLeast(0),
                        Importance.HIGH,
                        "Milliseconds after the first attempt past which no retry of an IO error, timeout, 5xx or 429 starts; "
                                + "the record then goes to the dead letter queue.",
                        DELIVERY_GROUP,
                        ++order,
                        Width.SHORT,
                        "Max retry time (ms)")
                .define(
                        KochavaClientConfig.RETRY_INITIAL_BACKOFF,
                        Type.LONG,
                        CLIENT_DEFAULTS.initialBackoff().toMillis(),
                        Range.atLeast(1),
                        Importance.LOW,
                        "Upper bound, in ms, of the first retry's jittered backoff.",
                        DELIVERY_GROUP,
                        ++order,
                        Width.SHORT,
                        "Initial backoff (ms)")
                .define(
                        KochavaClientConfig.RETRY_MAX_BACKOFF,
                        Type.LONG,
                        CLIENT_DEFAULTS.maxBackoff().toMillis(),
                        Range.atLeast(1),
                        Importance.LOW,
                        "Upper bound, in ms, of any retry's jittered backoff; at least "
                                + KochavaClientConfig.RETRY_INITIAL_BACKOFF + ".",
                        DELIVERY_GROUP,
                        ++order,
                        Width.SHORT,
                        "Max backoff (ms)")
                .define(
                        KochavaClientConfig.RATE_LIMIT_PER_APP,
                        Type.DOUBLE,
                        CLIENT_DEFAULTS.rateLimitPerApp(),
                        Range.atLeast(0),
                        Importance.LOW,
                        "Requests per second per Kochava app id and task (decimals allowed); 0 turns the limit off.",
                        DELIVERY_GROUP,
                        ++order,
                        Width.SHORT,
                        "Rate limit per app");

        order = 0;
        def.define(
                        MAX_PENDING_RECORDS,
                        Type.INT,
                        10_000,
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        "Records handed to the Kochava client and not yet delivered or dead-lettered, per task, past which the "
                                + "task pauses its partitions (during an outage) until half of them are done.",
                        SINK_GROUP,
                        ++order,
                        Width.SHORT,
                        "Max pending records")
                .define(
                        MAX_PENDING_BYTES,
                        Type.LONG,
                        64L * 1024 * 1024,
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        "Bytes of request bodies (the JSON sent to Kochava) the task's Kochava client holds for records not "
                                + "yet delivered or dead-lettered, past which the task pauses its partitions until they are down "
                                + "to half; with " + MAX_PENDING_RECORDS
                                + ", whichever is reached first. Checked after each put(), "
                                + "so one poll's batch may pass it.",
                        SINK_GROUP,
                        ++order,
                        Width.SHORT,
                        "Max pending bytes")
                .define(
                        STOP_TIMEOUT,
                        Type.LONG,
                        30_000L,
                        Range.atLeast(0),
                        Importance.LOW,
                        "Milliseconds a stopping task waits for requests in flight; undelivered records are not committed and "
                                + "are delivered again by the next owner of their partition.",
                        SINK_GROUP,
                        ++order,
                        Width.SHORT,
                        "Stop timeout (ms)");

        order = 0;
        def.define(
                        SCHEMA_REGISTRY_URL,
                        Type.STRING,
                        null,
                        Importance.LOW,
                        "Only for values that reach the task as raw Confluent wire-format bytes (value.converter="
                                + "org.apache.kafka.connect.converters.ByteArrayConverter): the registry base URL. With "
                                + RegistryAvroConverter.class.getName() + " or JsonConverter, leave it unset.",
                        REGISTRY_GROUP,
                        ++order,
                        Width.LONG,
                        "Schema Registry URL")
                .define(
                        SCHEMA_REGISTRY_USER_INFO,
                        Type.PASSWORD,
                        null,
                        Importance.LOW,
                        "user:password for HTTP basic auth to the schema registry of " + SCHEMA_REGISTRY_URL + ".",
                        REGISTRY_GROUP,
                        ++order,
                        Width.MEDIUM,
                        "Schema Registry credentials");
        return def;
    }

    /** Accepts an absolute http or https URL with a host. */
    static final class HttpUrl implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String text = value == null ? "" : value.toString().trim();
            try {
                URI uri = new URI(text);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) return;
            } catch (Exception e) {
                // reported below
            }
            throw new ConfigException(name, value, "must be an absolute http or https URL");
        }

        @Override
        public String toString() {
            return "an absolute http(s) URL";
        }
    }
}
