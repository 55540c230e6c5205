package io.kobot.streams.config;

import io.kobot.kochava.InvalidConfigException;
import io.kobot.kochava.KochavaClientConfig;
import io.kobot.registry.SchemaRegistryConfig;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The pipeline's whole configuration: typed, validated and immutable. Keys, types and defaults are those of
 * {@link ConfigKeys}; sources and their precedence are those of {@link ConfigSources}. Every problem is reported
 * at once in an {@link InvalidConfigurationException}; secrets are never part of a message or of
 * {@link #toString()}.
 */
public final class PipelineConfig {
    private static final String MURMUR2 = "the pipeline (its repartition topics use the default murmur2 partitioner)";
    /** Streams settings the pipeline owns: setting them through {@code kafka.} would be silently overridden. */
    private static final Map<String, String> OWNED_KAFKA_KEYS = Map.ofEntries(
            Map.entry(StreamsConfig.APPLICATION_ID_CONFIG, ConfigKeys.APPLICATION_ID),
            Map.entry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigKeys.BOOTSTRAP_SERVERS),
            Map.entry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, ConfigKeys.PROCESSING_GUARANTEE),
            Map.entry(StreamsConfig.STATE_DIR_CONFIG, ConfigKeys.STATE_DIR),
            Map.entry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, ConfigKeys.NUM_STREAM_THREADS),
            Map.entry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, "the dead-letter handlers"),
            Map.entry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, "the dead-letter handlers"),
            // Repartition topics must be written with the producer's default murmur2 partitioner: the check of
            // where source records sit (ingest.JoinKeyPlacement) assumes it.
            Map.entry(ProducerConfig.PARTITIONER_CLASS_CONFIG, MURMUR2),
            Map.entry(StreamsConfig.PRODUCER_PREFIX + ProducerConfig.PARTITIONER_CLASS_CONFIG, MURMUR2),
            Map.entry(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, MURMUR2),
            Map.entry(StreamsConfig.PRODUCER_PREFIX + ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, MURMUR2));

    private final Map<String, Object> values;
    private final Map<String, String> kafkaProperties;
    private final Map<String, String> deliveryProperties;

    private PipelineConfig(
            Map<String, Object> values, Map<String, String> kafkaProperties, Map<String, String> deliveryProperties) {
        this.values = Collections.unmodifiableMap(values);
        this.kafkaProperties = Collections.unmodifiableMap(kafkaProperties);
        this.deliveryProperties = Collections.unmodifiableMap(deliveryProperties);
    }

    /** Reads, merges and validates the three sources; see {@link ConfigSources#merge}. */
    public static PipelineConfig load(Optional<Path> file, Map<String, String> env, List<String> overrides) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, String> raw = ConfigSources.merge(file, env, overrides, problems);
        return parse(ConfigReferences.resolve(raw, env, problems), problems);
    }

    /** Validates already merged raw values, resolving {@code ${file:…}} and {@code ${env:…}} references. */
    public static PipelineConfig from(Map<String, String> raw) {
        List<ConfigProblem> problems = new ArrayList<>();
        return parse(ConfigReferences.resolve(raw, System.getenv(), problems), problems);
    }

    private static PipelineConfig parse(Map<String, String> raw, List<ConfigProblem> problems) {
        Map<String, Object> values = new HashMap<>();
        for (ConfigKey key : ConfigKeys.ALL) {
            String text = raw.getOrDefault(key.name(), key.defaultValue());
            if (text == null) {
                if (key.required()) {
                    problems.add(new ConfigProblem(key.name(), "is required"));
                }
                continue;
            }
            try {
                values.put(key.name(), key.type().parse(text));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(key.name(), key.isSecret() ? "is invalid" : e.getMessage()));
            }
        }
        Map<String, String> kafka = new TreeMap<>();
        Map<String, String> delivery = new TreeMap<>();
        raw.forEach((name, value) -> {
            if (ConfigKeys.find(name).isPresent()) {
                return;
            }
            if (name.startsWith(ConfigKeys.KAFKA_PREFIX)) {
                String kafkaKey = name.substring(ConfigKeys.KAFKA_PREFIX.length());
                String owner = OWNED_KAFKA_KEYS.get(kafkaKey);
                if (owner != null) {
                    problems.add(new ConfigProblem(name, "is set by " + owner + "; do not pass it through kafka."));
                } else {
                    kafka.put(kafkaKey, value);
                }
            } else if (ConfigKeys.isPassThrough(name)) {
                delivery.put(name, value);
            } else {
                problems.add(new ConfigProblem(
                        name,
                        "unknown key (known keys: see the configuration reference; "
                                + "pass-through prefixes: kafka., kochava., delivery.)"));
            }
        });
        PipelineConfig config = new PipelineConfig(values, kafka, delivery);
        if (problems.isEmpty()) {
            config.checkConsistency(problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return config;
    }

    /** Checks across keys and the components' own validation, once every single value is valid. */
    private void checkConsistency(List<ConfigProblem> problems) {
        TopicNames topics = topicNames();
        List<String> names = List.of(
                topics.interactions(),
                topics.identityLinks(),
                topics.engagements(),
                topics.deliveries(),
                topics.deadLetters());
        if (new HashSet<>(names).size() != names.size()) {
            problems.add(new ConfigProblem("topics.*", "every topic needs its own name, got " + names));
        }
        if (deliveryMode() == DeliveryMode.TOPOLOGY && "at_least_once".equals(processingGuarantee())) {
            problems.add(new ConfigProblem(
                    ConfigKeys.PROCESSING_GUARANTEE,
                    "at_least_once cannot be used with "
                            + "delivery.mode=topology: the dedup store and the delivery outbox are written without a "
                            + "transaction, so after a crash an interaction can be remembered as seen while its outbox "
                            + "entry is gone, and its replay is then dropped as a duplicate and never delivered; use "
                            + "exactly_once_v2 (or delivery.mode=connect)"));
        }
        if (deliveryMode() == DeliveryMode.CONNECT && !writeEngagements()) {
            problems.add(new ConfigProblem(
                    ConfigKeys.OUTPUT_ENGAGEMENTS,
                    "must be true with delivery.mode=connect: the Connect sink reads " + topics.engagements()));
        }
        checkSizeLimits(problems);
        try {
            SchemaRegistryConfig.from(schemaRegistryConfig());
        } catch (ConfigException e) {
            problems.add(new ConfigProblem(ConfigKeys.SCHEMA_REGISTRY_URL, e.getMessage()));
        }
        try {
            if (KochavaClientConfig.from(deliveryProperties).forwardIdentityLinks()) {
                // Said plainly rather than accepted and ignored: the client can send identityLink actions, but
                // the topology does not forward link updates yet.
                problems.add(new ConfigProblem(
                        KochavaClientConfig.FORWARD_IDENTITY_LINKS,
                        "forwarding IdentityLink "
                                + "updates to Kochava is not built into the pipeline yet; leave it false"));
            }
        } catch (InvalidConfigException e) {
            e.errors().forEach(error -> problems.add(new ConfigProblem(error.key(), error.reason())));
        }
        try {
            DeliverySettings.from(deliveryProperties);
        } catch (InvalidConfigException e) {
            e.errors().forEach(error -> problems.add(new ConfigProblem(error.key(), error.reason())));
        }
    }

    private <T> T value(String key, Class<T> type) {
        return type.cast(values.get(key));
    }

    public String applicationId() {
        return value(ConfigKeys.APPLICATION_ID, String.class);
    }

    public String bootstrapServers() {
        return value(ConfigKeys.BOOTSTRAP_SERVERS, String.class);
    }

    /** What the schema registry serdes are configured with. */
    public Map<String, Object> schemaRegistryConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(SchemaRegistryConfig.URL_CONFIG, value(ConfigKeys.SCHEMA_REGISTRY_URL, String.class));
        String userInfo = value(ConfigKeys.SCHEMA_REGISTRY_USER_INFO, String.class);
        if (userInfo != null) {
            config.put(
                    SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, SchemaRegistryConfig.USER_INFO_SOURCE);
            config.put(SchemaRegistryConfig.BASIC_AUTH_USER_INFO_CONFIG, userInfo);
        }
        return config;
    }

    public TopicNames topicNames() {
        return new TopicNames(
                value(ConfigKeys.TOPIC_INTERACTIONS, String.class),
                value(ConfigKeys.TOPIC_IDENTITY_LINKS, String.class),
                value(ConfigKeys.TOPIC_ENGAGEMENTS, String.class),
                value(ConfigKeys.TOPIC_DELIVERIES, String.class),
                value(ConfigKeys.TOPIC_DEAD_LETTERS, String.class));
    }

    public boolean createTopics() {
        return value(ConfigKeys.TOPICS_CREATE, Boolean.class);
    }

    public int topicPartitions() {
        return value(ConfigKeys.TOPICS_PARTITIONS, Integer.class);
    }

    /** Empty for the broker's default. */
    public Optional<Short> topicReplicationFactor() {
        int factor = value(ConfigKeys.TOPICS_REPLICATION_FACTOR, Integer.class);
        return factor < 0 ? Optional.empty() : Optional.of((short) factor);
    }

    public Duration dedupRetention() {
        return value(ConfigKeys.DEDUP_RETENTION, Duration.class);
    }

    public boolean writeEngagements() {
        return value(ConfigKeys.OUTPUT_ENGAGEMENTS, Boolean.class);
    }

    /**
     * @param sourcePartitions the partition count of the source topics, as the topic preflight found it: not a
     *                         setting, since a wrong one would misjudge where records sit
     */
    public TopologySettings topologySettings(int sourcePartitions) {
        return new TopologySettings(
                topicNames(),
                value(ConfigKeys.DEDUP_RETENTION, Duration.class),
                value(ConfigKeys.MAX_FUTURE_SKEW, Duration.class),
                value(ConfigKeys.MAX_EVENT_DATA_BYTES, Integer.class),
                RekeyMode.valueOf(value(ConfigKeys.REKEY, String.class)),
                writeEngagements(),
                sourcePartitions,
                value(ConfigKeys.MAX_CLOCK_SKEW, Duration.class),
                inputLimits(),
                // The client's list, so that ingest refuses exactly what the client would.
                KochavaClientConfig.from(deliveryProperties).pingAllowedHosts());
    }

    public boolean fixDedupChangelogRetention() {
        return value(ConfigKeys.DEDUP_CHANGELOG_FIX_RETENTION, Boolean.class);
    }

    public InputLimits inputLimits() {
        return new InputLimits(
                value(ConfigKeys.MAX_STRING_BYTES, Integer.class),
                value(ConfigKeys.MAX_TRACKING_URL_BYTES, Integer.class),
                value(ConfigKeys.MAX_USER_AGENT_BYTES, Integer.class),
                value(ConfigKeys.MAX_DEVICE_IDS, Integer.class),
                value(ConfigKeys.MAX_DEVICE_IDS_BYTES, Integer.class),
                value(ConfigKeys.MAX_EVENT_DATA_DEPTH, Integer.class),
                value(ConfigKeys.MAX_LINK_DEVICE_IDS, Integer.class),
                value(ConfigKeys.MAX_LINK_DEVICE_IDS_BYTES, Integer.class),
                value(ConfigKeys.MAX_ENGAGEMENT_BYTES, Integer.class));
    }

    /**
     * The rule that keeps every record the job writes below the producer's {@code max.request.size}: a valid
     * interaction and a valid link (bounded by the field limits) each fit the engagement limit, so repartition and
     * changelog records and link-less engagements fit; an engagement is checked against the limit before it is
     * written; the limit plus the key and a fixed headroom fits {@code max.request.size}; and so does the largest
     * dead letter (its original bytes are cut, see DeadLetters).
     */
    private void checkSizeLimits(List<ConfigProblem> problems) {
        InputLimits limits = inputLimits();
        long largestInteraction = limits.largestInteractionBytes(value(ConfigKeys.MAX_EVENT_DATA_BYTES, Integer.class));
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
        int maxRequestSize = producerMaxRequestSize();
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

    private static final String KAFKA_MAX_REQUEST_SIZE =
            ConfigKeys.KAFKA_PREFIX + StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);

    /** The Streams producer's max.request.size: kafka.producer.max.request.size, kafka.max.request.size, default. */
    private int producerMaxRequestSize() {
        String text = kafkaProperties.getOrDefault(
                StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                kafkaProperties.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        if (text == null) {
            return (Integer) ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE; // Kafka itself reports the bad number when the producer is created
        }
    }

    public DeliveryMode deliveryMode() {
        return DeliveryMode.fromConfigName(value(ConfigKeys.DELIVERY_MODE, String.class));
    }

    public String processingGuarantee() {
        return value(ConfigKeys.PROCESSING_GUARANTEE, String.class);
    }

    public Optional<String> stateDir() {
        return Optional.ofNullable(value(ConfigKeys.STATE_DIR, String.class));
    }

    public int numStreamThreads() {
        return value(ConfigKeys.NUM_STREAM_THREADS, Integer.class);
    }

    public int maxThreadReplacements() {
        return value(ConfigKeys.MAX_THREAD_REPLACEMENTS, Integer.class);
    }

    public Duration threadReplacementWindow() {
        return value(ConfigKeys.THREAD_REPLACEMENT_WINDOW, Duration.class);
    }

    /** 0 when the HTTP server is off. */
    public int httpPort() {
        return value(ConfigKeys.HTTP_PORT, Integer.class);
    }

    /** The key of {@code Pii.mask}; null for a random one per process. */
    public String piiMaskKey() {
        return value(ConfigKeys.PII_MASK_KEY, String.class);
    }

    public Duration shutdownTimeout() {
        return value(ConfigKeys.SHUTDOWN_TIMEOUT, Duration.class);
    }

    public Duration startupKafkaTimeout() {
        return value(ConfigKeys.STARTUP_KAFKA_TIMEOUT, Duration.class);
    }

    /** The {@code kafka.} keys with that prefix removed, for Kafka Streams and its clients. */
    public Map<String, String> kafkaProperties() {
        return kafkaProperties;
    }

    /** The {@code kochava.} and {@code delivery.} keys, unchanged, for {@link KochavaClientConfig#from(Map)}. */
    public Map<String, String> deliveryProperties() {
        return deliveryProperties;
    }

    /** Every effective value by key, defaults included, secrets masked: what may be printed. */
    public Map<String, String> printable() {
        Map<String, String> printable = new TreeMap<>();
        values.forEach((key, value) -> printable.put(key, Secrets.printable(key, String.valueOf(value))));
        kafkaProperties.forEach(
                (key, value) -> printable.put(ConfigKeys.KAFKA_PREFIX + key, Secrets.printable(key, value)));
        deliveryProperties.forEach((key, value) -> printable.put(key, Secrets.printable(key, value)));
        return printable;
    }

    @Override
    public String toString() {
        return printable().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "PipelineConfig(", ")"));
    }
}
