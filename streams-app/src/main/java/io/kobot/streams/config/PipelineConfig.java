package io.kobot.streams.config;

import io.kobot.config.ConfigDefs;
import io.kobot.config.ConfigProblem;
import io.kobot.config.ConfigValues;
import io.kobot.config.Durations;
import io.kobot.config.InvalidConfigurationException;
import io.kobot.kochava.KochavaClientConfig;
import io.kobot.registry.SchemaRegistryConfig;
import io.kobot.streams.deliver.DeliverySettings;
import io.kobot.streams.topology.RekeyMode;
import io.kobot.streams.topology.TopicNames;
import io.kobot.streams.topology.TopologySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The pipeline's whole configuration: typed, validated and immutable. Keys are declared once, by their components,
 * and composed in {@link #CONFIG_DEF}: the pipeline's own ({@link ConfigKeys}), the Kochava client's
 * ({@link KochavaClientConfig#CONFIG_DEF}) and the delivery sink's ({@link DeliverySettings#CONFIG_DEF}). Sources and
 * their precedence are those of {@link ConfigSources}. Every problem is reported at once in an
 * {@link InvalidConfigurationException}: per key, across keys, and unknown keys (with a "did you mean" for near
 * misses); secrets are never part of a message or of {@link #toString()}.
 */
public final class PipelineConfig {
    /** Every key the pipeline reads, in the order of the configuration reference. */
    public static final ConfigDef CONFIG_DEF =
            ConfigDefs.compose(ConfigKeys.CONFIG_DEF, KochavaClientConfig.CONFIG_DEF, DeliverySettings.CONFIG_DEF);

    /** Prefixes of keys passed through undeclared. */
    public static final List<String> PASS_THROUGH_PREFIXES = List.of(ConfigKeys.KAFKA_PREFIX);

    /** Streams settings the pipeline owns: setting them through {@code kafka.} would be silently overridden. */
    private static final Map<String, String> OWNED_KAFKA_KEYS = Map.of(
            StreamsConfig.APPLICATION_ID_CONFIG, ConfigKeys.APPLICATION_ID,
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigKeys.BOOTSTRAP_SERVERS,
            StreamsConfig.PROCESSING_GUARANTEE_CONFIG, ConfigKeys.PROCESSING_GUARANTEE,
            StreamsConfig.STATE_DIR_CONFIG, ConfigKeys.STATE_DIR,
            StreamsConfig.NUM_STREAM_THREADS_CONFIG, ConfigKeys.NUM_STREAM_THREADS,
            StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, "the dead-letter handlers",
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, "the dead-letter handlers");

    /** Kafka's own declarations, for the secret-ness of {@code kafka.} keys. */
    private static final List<ConfigDef> KAFKA_DEFS = List.of(
            StreamsConfig.configDef(),
            ProducerConfig.configDef(),
            ConsumerConfig.configDef(),
            AdminClientConfig.configDef());

    private final ConfigValues values;
    private final Map<String, String> kafkaProperties;
    private final Map<String, String> deliveryProperties;
    private final KochavaClientConfig kochavaClientConfig;
    private final DeliverySettings deliverySettings;

    private PipelineConfig(
            ConfigValues values, Map<String, String> kafkaProperties, Map<String, String> deliveryProperties) {
        this.values = values;
        this.kafkaProperties = Collections.unmodifiableMap(kafkaProperties);
        this.deliveryProperties = Collections.unmodifiableMap(deliveryProperties);
        this.kochavaClientConfig = KochavaClientConfig.from(values);
        this.deliverySettings = DeliverySettings.from(values);
    }

    /** Reads, merges and validates the three sources; see {@link ConfigSources#merge}. */
    public static PipelineConfig load(Optional<Path> file, Map<String, String> env, List<String> overrides) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, String> raw = ConfigSources.merge(file, env, overrides, problems);
        return parse(raw, problems);
    }

    /** Validates already merged raw values. */
    public static PipelineConfig from(Map<String, String> raw) {
        return parse(raw, new ArrayList<>());
    }

    private static PipelineConfig parse(Map<String, String> raw, List<ConfigProblem> problems) {
        ConfigValues values = ConfigValues.parse(CONFIG_DEF, raw, problems);
        problems.addAll(ConfigDefs.unknownKeys(CONFIG_DEF, raw.keySet(), PASS_THROUGH_PREFIXES, List.of()));
        Map<String, String> kafka = new TreeMap<>();
        Map<String, String> delivery = new TreeMap<>();
        raw.forEach((name, value) -> {
            if (name.startsWith(ConfigKeys.KAFKA_PREFIX)
                    && !CONFIG_DEF.configKeys().containsKey(name)) {
                String kafkaKey = name.substring(ConfigKeys.KAFKA_PREFIX.length());
                String owner = OWNED_KAFKA_KEYS.get(kafkaKey);
                if (owner != null) {
                    problems.add(new ConfigProblem(name, "is set by " + owner + "; do not pass it through kafka."));
                } else {
                    kafka.put(kafkaKey, value);
                }
            } else if (isDeliveryKey(name)) {
                delivery.put(name, value);
            }
        });
        checkAcross(values, problems);
        InvalidConfigurationException.throwIfAny(problems);
        return new PipelineConfig(values, kafka, delivery);
    }

    private static boolean isDeliveryKey(String name) {
        return KochavaClientConfig.CONFIG_DEF.configKeys().containsKey(name)
                || DeliverySettings.CONFIG_DEF.configKeys().containsKey(name);
    }

    /** The rules across keys, the components' included, on every key whose own value is valid. */
    private static void checkAcross(ConfigValues values, List<ConfigProblem> problems) {
        List<String> topicKeys = List.of(
                ConfigKeys.TOPIC_INTERACTIONS,
                ConfigKeys.TOPIC_IDENTITY_LINKS,
                ConfigKeys.TOPIC_ENGAGEMENTS,
                ConfigKeys.TOPIC_DELIVERIES,
                ConfigKeys.TOPIC_DEAD_LETTERS);
        if (topicKeys.stream().allMatch(values::has)) {
            List<String> names = topicKeys.stream().map(values::getString).toList();
            if (new HashSet<>(names).size() != names.size()) {
                problems.add(new ConfigProblem("topics.*", "every topic needs its own name, got " + names));
            }
        }
        if (values.has(ConfigKeys.DELIVERY_MODE)
                && values.has(ConfigKeys.OUTPUT_ENGAGEMENTS)
                && DeliveryMode.fromConfigName(values.getString(ConfigKeys.DELIVERY_MODE)) == DeliveryMode.CONNECT
                && !values.getBoolean(ConfigKeys.OUTPUT_ENGAGEMENTS)) {
            problems.add(new ConfigProblem(
                    ConfigKeys.OUTPUT_ENGAGEMENTS,
                    "must be true with delivery.mode=connect: " + "the Connect sink reads "
                            + values.getString(ConfigKeys.TOPIC_ENGAGEMENTS)));
        }
        Password userInfo = values.getPassword(ConfigKeys.SCHEMA_REGISTRY_USER_INFO);
        if (userInfo != null && userInfo.value().indexOf(':') < 1) {
            problems.add(new ConfigProblem(ConfigKeys.SCHEMA_REGISTRY_USER_INFO, "must be user:password"));
        }
        if (Boolean.TRUE.equals(values.getBoolean(KochavaClientConfig.FORWARD_IDENTITY_LINKS))) {
            // Said plainly rather than accepted and ignored: the client can send identityLink actions, but the
            // topology does not forward link updates yet.
            problems.add(new ConfigProblem(
                    KochavaClientConfig.FORWARD_IDENTITY_LINKS,
                    "forwarding IdentityLink "
                            + "updates to Kochava is not built into the pipeline yet; leave it false"));
        }
        KochavaClientConfig.checkAcross(values, problems);
        DeliverySettings.checkAcross(values, problems);
    }

    /**
     * Whether {@code key} holds a secret by declaration: a {@link ConfigDef.Type#PASSWORD} key of
     * {@link #CONFIG_DEF}, or a {@code kafka.} key (client prefixes such as {@code producer.} allowed) that Kafka
     * declares a PASSWORD.
     */
    public static boolean isSecret(String key) {
        if (CONFIG_DEF.configKeys().containsKey(key)) {
            return ConfigDefs.isSecret(CONFIG_DEF, key);
        }
        if (!key.startsWith(ConfigKeys.KAFKA_PREFIX)) {
            return false;
        }
        String kafkaKey = key.substring(ConfigKeys.KAFKA_PREFIX.length());
        String unprefixed = kafkaKey.substring(kafkaKey.indexOf('.') + 1);
        return KAFKA_DEFS.stream()
                .anyMatch(def -> ConfigDefs.isSecret(def, kafkaKey) || ConfigDefs.isSecret(def, unprefixed));
    }

    public String applicationId() {
        return values.getString(ConfigKeys.APPLICATION_ID);
    }

    public String bootstrapServers() {
        return values.getString(ConfigKeys.BOOTSTRAP_SERVERS);
    }

    /** What the schema registry serdes are configured with. */
    public Map<String, Object> schemaRegistryConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(SchemaRegistryConfig.URL_CONFIG, String.join(",", values.getList(ConfigKeys.SCHEMA_REGISTRY_URL)));
        Password userInfo = values.getPassword(ConfigKeys.SCHEMA_REGISTRY_USER_INFO);
        if (userInfo != null) {
            config.put(
                    SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, SchemaRegistryConfig.USER_INFO_SOURCE);
            config.put(SchemaRegistryConfig.BASIC_AUTH_USER_INFO_CONFIG, userInfo.value());
        }
        return config;
    }

    public TopicNames topicNames() {
        return new TopicNames(
                values.getString(ConfigKeys.TOPIC_INTERACTIONS),
                values.getString(ConfigKeys.TOPIC_IDENTITY_LINKS),
                values.getString(ConfigKeys.TOPIC_ENGAGEMENTS),
                values.getString(ConfigKeys.TOPIC_DELIVERIES),
                values.getString(ConfigKeys.TOPIC_DEAD_LETTERS));
    }

    public boolean createTopics() {
        return values.getBoolean(ConfigKeys.TOPICS_CREATE);
    }

    public int topicPartitions() {
        return values.getInt(ConfigKeys.TOPICS_PARTITIONS);
    }

    /** Empty for the broker's default. */
    public Optional<Short> topicReplicationFactor() {
        int factor = values.getInt(ConfigKeys.TOPICS_REPLICATION_FACTOR);
        return factor < 0 ? Optional.empty() : Optional.of((short) factor);
    }

    public boolean writeEngagements() {
        return values.getBoolean(ConfigKeys.OUTPUT_ENGAGEMENTS);
    }

    public TopologySettings topologySettings() {
        return new TopologySettings(
                topicNames(),
                values.getDuration(ConfigKeys.DEDUP_RETENTION),
                values.getDuration(ConfigKeys.MAX_FUTURE_SKEW),
                values.getInt(ConfigKeys.MAX_EVENT_DATA_BYTES),
                RekeyMode.valueOf(values.getString(ConfigKeys.REKEY)),
                writeEngagements());
    }

    public DeliveryMode deliveryMode() {
        return DeliveryMode.fromConfigName(values.getString(ConfigKeys.DELIVERY_MODE));
    }

    public String processingGuarantee() {
        return values.getString(ConfigKeys.PROCESSING_GUARANTEE);
    }

    public Optional<String> stateDir() {
        return Optional.ofNullable(values.getString(ConfigKeys.STATE_DIR));
    }

    public int numStreamThreads() {
        return values.getInt(ConfigKeys.NUM_STREAM_THREADS);
    }

    public int maxThreadReplacements() {
        return values.getInt(ConfigKeys.MAX_THREAD_REPLACEMENTS);
    }

    public Duration threadReplacementWindow() {
        return values.getDuration(ConfigKeys.THREAD_REPLACEMENT_WINDOW);
    }

    /** 0 when the HTTP server is off. */
    public int httpPort() {
        return values.getInt(ConfigKeys.HTTP_PORT);
    }

    public Duration shutdownTimeout() {
        return values.getDuration(ConfigKeys.SHUTDOWN_TIMEOUT);
    }

    /** The {@code kafka.} keys with that prefix removed, for Kafka Streams and its clients. */
    public Map<String, String> kafkaProperties() {
        return kafkaProperties;
    }

    /** The {@code kochava.} and {@code delivery.} keys that were given, unchanged. */
    public Map<String, String> deliveryProperties() {
        return deliveryProperties;
    }

    /** The Kochava client's settings, read with the rest. */
    public KochavaClientConfig kochavaClientConfig() {
        return kochavaClientConfig;
    }

    /** The delivery sink's settings, read with the rest. */
    public DeliverySettings deliverySettings() {
        return deliverySettings;
    }

    /** Every effective value by key, defaults included, secrets masked: what may be printed. */
    public Map<String, String> printable() {
        Map<String, String> printable = new TreeMap<>();
        values.asMap().forEach((key, value) -> printable.put(key, Secrets.printable(key, text(key, value))));
        kafkaProperties.forEach(
                (key, value) -> printable.put(ConfigKeys.KAFKA_PREFIX + key, Secrets.printable(key, value)));
        return printable;
    }

    private String text(String key, Object value) {
        if (value instanceof Password) {
            return Secrets.MASK;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        if (Durations.isDuration(CONFIG_DEF.configKeys().get(key))) {
            return values.getDuration(key).toString();
        }
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return printable().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "PipelineConfig(", ")"));
    }
}
