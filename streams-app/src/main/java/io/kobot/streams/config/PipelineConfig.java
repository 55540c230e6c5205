package io.kobot.streams.config;

import io.kobot.config.ConfigDefs;
import io.kobot.config.ConfigProblem;
import io.kobot.config.ConfigValues;
import io.kobot.config.Durations;
import io.kobot.config.InvalidConfigurationException;
import io.kobot.config.RawConfiguration;
import io.kobot.kochava.KochavaClientConfig;
import io.kobot.partitioning.JoinKeyPartitioner;
import io.kobot.registry.ConnectionKeys;
import io.kobot.streams.deadletter.DeadLetters;
import io.kobot.streams.deliver.DeliverySettings;
import io.kobot.streams.ingest.InputLimits;
import io.kobot.streams.topology.RekeyMode;
import io.kobot.streams.topology.TopicNames;
import io.kobot.streams.topology.TopologySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
 * their precedence are those of every component ({@link RawConfiguration}). Every problem is reported at once in an
 * {@link InvalidConfigurationException}: per key, across keys, and unknown keys (with a "did you mean" for near
 * misses); secrets are never part of a message or of {@link #toString()}.
 */
public final class PipelineConfig {
    /** Every key the pipeline reads, in the order of the configuration reference. */
    public static final ConfigDef CONFIG_DEF =
            ConfigDefs.compose(ConfigKeys.CONFIG_DEF, KochavaClientConfig.CONFIG_DEF, DeliverySettings.CONFIG_DEF);

    /** Prefixes of keys passed through undeclared. */
    public static final List<String> PASS_THROUGH_PREFIXES = List.of(ConfigKeys.KAFKA_PREFIX);

    private static final String PLACEMENT =
            ConfigKeys.PARTITIONER + " (the pipeline places join keys, and its repartition topics, by it)";

    /** Streams settings the pipeline owns: setting them through {@code kafka.} would be silently overridden. */
    private static final Map<String, String> OWNED_KAFKA_KEYS = Map.ofEntries(
            Map.entry(StreamsConfig.APPLICATION_ID_CONFIG, ConfigKeys.APPLICATION_ID),
            Map.entry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigKeys.BOOTSTRAP_SERVERS),
            Map.entry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, ConfigKeys.PROCESSING_GUARANTEE),
            Map.entry(StreamsConfig.STATE_DIR_CONFIG, ConfigKeys.STATE_DIR),
            Map.entry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, ConfigKeys.NUM_STREAM_THREADS),
            Map.entry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, "the dead-letter handlers"),
            Map.entry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, "the dead-letter handlers"),
            // Where a join key belongs is partitioning.partitioner's to say: the check of where source records sit
            // (ingest.JoinKeyPlacement) and the repartition topics follow it, and a producer partitioner that looked
            // like a way to set it would not be.
            Map.entry(ProducerConfig.PARTITIONER_CLASS_CONFIG, PLACEMENT),
            Map.entry(StreamsConfig.PRODUCER_PREFIX + ProducerConfig.PARTITIONER_CLASS_CONFIG, PLACEMENT),
            Map.entry(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, PLACEMENT),
            Map.entry(StreamsConfig.PRODUCER_PREFIX + ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, PLACEMENT));

    private static final String KAFKA_MAX_REQUEST_SIZE =
            ConfigKeys.KAFKA_PREFIX + StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);

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

    /** Reads, merges, resolves and validates the three sources; see {@link RawConfiguration#load}. */
    public static PipelineConfig load(Optional<Path> file, Map<String, String> env, List<String> overrides) {
        List<ConfigProblem> problems = new ArrayList<>();
        return parse(RawConfiguration.load(file, env, overrides, problems), problems);
    }

    /** Validates already merged raw values, resolving {@code ${file:…}} and {@code ${env:…}} references. */
    public static PipelineConfig from(Map<String, String> raw) {
        List<ConfigProblem> problems = new ArrayList<>();
        return parse(RawConfiguration.resolve(raw, System.getenv(), problems), problems);
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
        checkAcross(values, kafka, problems);
        InvalidConfigurationException.throwIfAny(problems);
        return new PipelineConfig(values, kafka, delivery);
    }

    private static boolean isDeliveryKey(String name) {
        return KochavaClientConfig.CONFIG_DEF.configKeys().containsKey(name)
                || DeliverySettings.CONFIG_DEF.configKeys().containsKey(name);
    }

    /** The rules across keys, the components' included, on every key whose own value is valid. */
    private static void checkAcross(ConfigValues values, Map<String, String> kafka, List<ConfigProblem> problems) {
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
                && values.has(ConfigKeys.PROCESSING_GUARANTEE)
                && DeliveryMode.fromConfigName(values.getString(ConfigKeys.DELIVERY_MODE)) == DeliveryMode.TOPOLOGY
                && "at_least_once".equals(values.getString(ConfigKeys.PROCESSING_GUARANTEE))) {
            problems.add(new ConfigProblem(
                    ConfigKeys.PROCESSING_GUARANTEE,
                    "at_least_once cannot be used with "
                            + "delivery.mode=topology: a delivery outcome's outbox delete, audit record and dead "
                            + "letter are written without a transaction, so after a crash an engagement can have left "
                            + "the outbox while its dead letter was never written; use exactly_once_v2 (or "
                            + "delivery.mode=connect)"));
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
        ConnectionKeys.checkAcross(values, problems);
        if (Boolean.TRUE.equals(values.getBoolean(KochavaClientConfig.FORWARD_IDENTITY_LINKS))
                && values.has(ConfigKeys.DELIVERY_MODE)
                && DeliveryMode.fromConfigName(values.getString(ConfigKeys.DELIVERY_MODE)) == DeliveryMode.CONNECT) {
            // Said plainly rather than accepted and ignored: links are forwarded through the topology's outbox,
            // which delivery.mode=connect does not run, and the Connect sink reads engagements only.
            problems.add(new ConfigProblem(
                    KochavaClientConfig.FORWARD_IDENTITY_LINKS,
                    "identity links are forwarded only with delivery.mode=topology (through its outbox); "
                            + "leave it false with delivery.mode=connect"));
        }
        if (SIZE_LIMIT_KEYS.stream().allMatch(values::has)) {
            checkSizeLimits(inputLimits(values), values.getInt(ConfigKeys.MAX_EVENT_DATA_BYTES), kafka, problems);
        }
        KochavaClientConfig.checkAcross(values, problems);
        DeliverySettings.checkAcross(values, problems);
    }

    private static final List<String> SIZE_LIMIT_KEYS = List.of(
            ConfigKeys.MAX_EVENT_DATA_BYTES,
            ConfigKeys.MAX_STRING_BYTES,
            ConfigKeys.MAX_TRACKING_URL_BYTES,
            ConfigKeys.MAX_USER_AGENT_BYTES,
            ConfigKeys.MAX_DEVICE_IDS,
            ConfigKeys.MAX_DEVICE_IDS_BYTES,
            ConfigKeys.MAX_EVENT_DATA_DEPTH,
            ConfigKeys.MAX_LINK_DEVICE_IDS,
            ConfigKeys.MAX_LINK_DEVICE_IDS_BYTES,
            ConfigKeys.MAX_ENGAGEMENT_BYTES);

    /**
     * The rule that keeps every record the job writes below the producer's {@code max.request.size}: a valid
     * interaction and a valid link (bounded by the field limits) each fit the engagement limit, so repartition and
     * changelog records and link-less engagements fit; an engagement is checked against the limit before it is
     * written; the limit plus the key and a fixed headroom fits {@code max.request.size}; and so does the largest
     * dead letter (its original bytes are cut, see DeadLetters).
     */
    static void checkSizeLimits(
            InputLimits limits, int maxEventDataBytes, Map<String, String> kafka, List<ConfigProblem> problems) {
        long largestInteraction = limits.largestInteractionBytes(maxEventDataBytes);
        if (largestInteraction > limits.maxEngagementBytes()) {
            problems.add(new ConfigProblem(
                    ConfigKeys.MAX_ENGAGEMENT_BYTES,
                    "must be at least " + largestInteraction
                            + ", the largest valid interaction under the validation.* limits, or lower those limits"));
        }
        if (limits.largestLinkBytes() > limits.maxEngagementBytes()) {
            problems.add(new ConfigProblem(
                    ConfigKeys.MAX_ENGAGEMENT_BYTES,
                    "must be at least "
                            + limits.largestLinkBytes() + ", the largest valid identity link under "
                            + ConfigKeys.MAX_LINK_DEVICE_IDS + " and " + ConfigKeys.MAX_LINK_DEVICE_IDS_BYTES
                            + ", or lower those limits"));
        }
        long needed =
                (long) limits.maxEngagementBytes() + limits.maxStringBytes() + ConfigKeys.ENGAGEMENT_HEADROOM_BYTES;
        int maxRequestSize = producerMaxRequestSize(kafka);
        if (needed > maxRequestSize) {
            problems.add(new ConfigProblem(
                    ConfigKeys.MAX_ENGAGEMENT_BYTES,
                    "plus the key ("
                            + ConfigKeys.MAX_STRING_BYTES + ") and " + ConfigKeys.ENGAGEMENT_HEADROOM_BYTES
                            + " bytes of headroom is " + needed + ", more than the producer's max.request.size="
                            + maxRequestSize + ": lower it, or raise kafka.producer.max.request.size (and the topics' "
                            + "max.message.bytes)"));
        }
        if (DeadLetters.LARGEST_BYTES > maxRequestSize) {
            problems.add(new ConfigProblem(
                    KAFKA_MAX_REQUEST_SIZE,
                    "must be at least " + DeadLetters.LARGEST_BYTES
                            + ": a dead letter keeps up to that much of the record it rejects"));
        }
    }

    /** The Streams producer's max.request.size: kafka.producer.max.request.size, kafka.max.request.size, default. */
    private static int producerMaxRequestSize(Map<String, String> kafka) {
        String text = kafka.getOrDefault(
                StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                kafka.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        if (text == null) {
            return (Integer) ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE; // Kafka itself reports the bad number when the producer is created
        }
    }

    private static InputLimits inputLimits(ConfigValues values) {
        return new InputLimits(
                values.getInt(ConfigKeys.MAX_STRING_BYTES),
                values.getInt(ConfigKeys.MAX_TRACKING_URL_BYTES),
                values.getInt(ConfigKeys.MAX_USER_AGENT_BYTES),
                values.getInt(ConfigKeys.MAX_DEVICE_IDS),
                values.getInt(ConfigKeys.MAX_DEVICE_IDS_BYTES),
                values.getInt(ConfigKeys.MAX_EVENT_DATA_DEPTH),
                values.getInt(ConfigKeys.MAX_LINK_DEVICE_IDS),
                values.getInt(ConfigKeys.MAX_LINK_DEVICE_IDS_BYTES),
                values.getInt(ConfigKeys.MAX_ENGAGEMENT_BYTES));
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

    /** Whether Kafka declares the {@code kafka.} key {@code key} (client prefixes such as {@code producer.} allowed). */
    static boolean isDeclaredByKafka(String key) {
        String kafkaKey = key.substring(ConfigKeys.KAFKA_PREFIX.length());
        String unprefixed = kafkaKey.substring(kafkaKey.indexOf('.') + 1);
        return KAFKA_DEFS.stream()
                .anyMatch(def -> def.configKeys().containsKey(kafkaKey)
                        || def.configKeys().containsKey(unprefixed));
    }

    public String applicationId() {
        return values.getString(ConfigKeys.APPLICATION_ID);
    }

    public String bootstrapServers() {
        return values.getString(ConfigKeys.BOOTSTRAP_SERVERS);
    }

    /** What the schema registry serdes are configured with. */
    public Map<String, Object> schemaRegistryConfig() {
        return ConnectionKeys.registryConfig(values);
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

    public Duration dedupRetention() {
        return values.getDuration(ConfigKeys.DEDUP_RETENTION);
    }

    /**
     * @param sourcePartitions   the partition count of the source topics, as found at start-up (not a setting: a
     *                           wrong one would misjudge where records sit)
     * @param previousDedupStore whether an upgrade from the dedup store of earlier versions is in progress, as found
     *                           at start-up
     */
    public TopologySettings topologySettings(int sourcePartitions, boolean previousDedupStore) {
        return new TopologySettings(
                topicNames(),
                values.getDuration(ConfigKeys.DEDUP_RETENTION),
                values.getDuration(ConfigKeys.MAX_FUTURE_SKEW),
                values.getInt(ConfigKeys.MAX_EVENT_DATA_BYTES),
                RekeyMode.valueOf(values.getString(ConfigKeys.REKEY)),
                JoinKeyPartitioner.valueOf(values.getString(ConfigKeys.PARTITIONER)),
                writeEngagements(),
                sourcePartitions,
                values.getDuration(ConfigKeys.MAX_CLOCK_SKEW),
                inputLimits(),
                // The client's list, so that ingest refuses exactly what the client would.
                kochavaClientConfig.pingAllowedHosts(),
                previousDedupStore);
    }

    public boolean fixDedupChangelogRetention() {
        return values.getBoolean(ConfigKeys.DEDUP_CHANGELOG_FIX_RETENTION);
    }

    public InputLimits inputLimits() {
        return inputLimits(values);
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

    /** The key of {@code Pii.mask}; null for a random one per process. */
    public String piiMaskKey() {
        Password key = values.getPassword(ConfigKeys.PII_MASK_KEY);
        return key == null ? null : key.value();
    }

    public Duration shutdownTimeout() {
        return values.getDuration(ConfigKeys.SHUTDOWN_TIMEOUT);
    }

    public Duration startupKafkaTimeout() {
        return values.getDuration(ConfigKeys.STARTUP_KAFKA_TIMEOUT);
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
        kafkaProperties.forEach((key, value) ->
                printable.put(ConfigKeys.KAFKA_PREFIX + key, Secrets.printable(ConfigKeys.KAFKA_PREFIX + key, value)));
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
