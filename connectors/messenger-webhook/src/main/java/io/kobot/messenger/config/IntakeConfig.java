package io.kobot.messenger.config;

import io.kobot.config.ConfigDefs;
import io.kobot.config.ConfigProblem;
import io.kobot.config.ConfigValues;
import io.kobot.config.InvalidConfigurationException;
import io.kobot.config.RawConfiguration;
import io.kobot.partitioning.JoinKeyPartitioner;
import io.kobot.registry.ConnectionKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.types.Password;

/**
 * The intake's whole configuration: typed, validated, immutable. Sources and precedence are the pipeline's
 * ({@link RawConfiguration}: file, {@code KOBOT_*} environment variables, {@code --set}); every problem is reported
 * at once in an {@link InvalidConfigurationException}; secrets never appear in a message.
 */
public final class IntakeConfig {
    /** Page ids are Meta's numeric ids; anything else in a page key is a typo. */
    private static final Pattern PAGE_KEY = Pattern.compile(Pattern.quote(PageKeys.PREFIX) + "([0-9]+)\\.(.+)");

    /** Producer settings the intake owns: its guarantees depend on them. */
    private static final Map<String, String> OWNED_KAFKA_KEYS = Map.ofEntries(
            Map.entry(ProducerConfig.ACKS_CONFIG, "acks=all (every record acknowledged by every in-sync replica)"),
            Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "the idempotent producer"),
            Map.entry(
                    ProducerConfig.PARTITIONER_CLASS_CONFIG,
                    IntakeKeys.PARTITIONER + " (records sit where the pipeline looks)"),
            Map.entry(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, IntakeKeys.PARTITIONER),
            Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "the intake (UTF-8 fb_user_id keys)"),
            Map.entry(
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    "the intake (Avro values through the schema registry)"),
            Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, IntakeKeys.PUBLISH_TIMEOUT),
            Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ConnectionKeys.BOOTSTRAP_SERVERS));

    private final ConfigValues values;
    private final Map<String, PageSettings> pages;
    private final Map<String, String> kafkaProperties;

    private IntakeConfig(ConfigValues values, Map<String, PageSettings> pages, Map<String, String> kafka) {
        this.values = values;
        this.pages = Collections.unmodifiableMap(pages);
        this.kafkaProperties = Collections.unmodifiableMap(kafka);
    }

    /** Reads, merges, resolves and validates the three sources. */
    public static IntakeConfig load(Optional<Path> file, Map<String, String> env, List<String> overrides) {
        List<ConfigProblem> problems = new ArrayList<>();
        return parse(RawConfiguration.load(file, env, overrides, problems), problems);
    }

    /** Validates already merged raw values, resolving {@code ${file:…}} and {@code ${env:…}} references. */
    public static IntakeConfig from(Map<String, String> raw) {
        List<ConfigProblem> problems = new ArrayList<>();
        return parse(RawConfiguration.resolve(raw, System.getenv(), problems), problems);
    }

    private static IntakeConfig parse(Map<String, String> raw, List<ConfigProblem> problems) {
        ConfigValues values = ConfigValues.parse(IntakeKeys.CONFIG_DEF, raw, problems);
        Map<String, Map<String, String>> pageRaw = new TreeMap<>();
        Map<String, String> kafka = new TreeMap<>();
        List<String> rest = new ArrayList<>();
        raw.forEach((name, value) -> {
            Matcher page = PAGE_KEY.matcher(name);
            if (page.matches()) {
                pageRaw.computeIfAbsent(page.group(1), id -> new HashMap<>()).put(page.group(2), value);
            } else if (name.startsWith(PageKeys.PREFIX)) {
                problems.add(new ConfigProblem(name, "page keys are messenger.page.<numeric page id>.<key>"));
            } else if (name.startsWith(IntakeKeys.KAFKA_PREFIX)) {
                String kafkaKey = name.substring(IntakeKeys.KAFKA_PREFIX.length());
                String owner = OWNED_KAFKA_KEYS.get(kafkaKey);
                if (owner != null) {
                    problems.add(new ConfigProblem(name, "is set by " + owner + "; do not pass it through kafka."));
                } else {
                    kafka.put(kafkaKey, value);
                }
            } else {
                rest.add(name);
            }
        });
        problems.addAll(ConfigDefs.unknownKeys(IntakeKeys.CONFIG_DEF, rest, List.of(), List.of()));
        Map<String, PageSettings> pages = new LinkedHashMap<>();
        pageRaw.forEach((id, keys) -> page(id, keys, problems).ifPresent(settings -> pages.put(id, settings)));
        if (pageRaw.isEmpty()) {
            problems.add(new ConfigProblem(
                    PageKeys.PREFIX + "<page-id>." + PageKeys.KOCHAVA_APP_ID,
                    "at least one page is required: every webhook item would be ignored"));
        }
        Duration timeout = values.getDuration(IntakeKeys.PUBLISH_TIMEOUT);
        if (timeout != null && timeout.compareTo(IntakeKeys.META_ANSWER_LIMIT) >= 0) {
            problems.add(new ConfigProblem(
                    IntakeKeys.PUBLISH_TIMEOUT,
                    "must be less than PT20S: Meta counts a webhook unanswered after 20 s and retries it"));
        }
        if (values.has(IntakeKeys.HTTP_PORT)
                && values.has(IntakeKeys.WEBHOOK_PORT)
                && values.getInt(IntakeKeys.HTTP_PORT) != 0
                && values.getInt(IntakeKeys.HTTP_PORT).equals(values.getInt(IntakeKeys.WEBHOOK_PORT))) {
            problems.add(new ConfigProblem(IntakeKeys.HTTP_PORT, "must differ from " + IntakeKeys.WEBHOOK_PORT));
        }
        String path = values.getString(IntakeKeys.WEBHOOK_PATH);
        if (path != null && !path.startsWith("/")) {
            problems.add(new ConfigProblem(IntakeKeys.WEBHOOK_PATH, "must start with /"));
        }
        ConnectionKeys.checkAcross(values, problems);
        InvalidConfigurationException.throwIfAny(problems);
        return new IntakeConfig(values, pages, kafka);
    }

    private static Optional<PageSettings> page(String id, Map<String, String> raw, List<ConfigProblem> problems) {
        String prefix = PageKeys.PREFIX + id + ".";
        List<ConfigProblem> own = new ArrayList<>();
        ConfigValues values = ConfigValues.parse(PageKeys.CONFIG_DEF, raw, own);
        own.addAll(ConfigDefs.unknownKeys(PageKeys.CONFIG_DEF, raw.keySet(), List.of(), List.of()));
        Set<ForwardKind> forwarded = EnumSet.noneOf(ForwardKind.class);
        if (values.has(PageKeys.FORWARD)) {
            values.getList(PageKeys.FORWARD).forEach(kind -> forwarded.add(ForwardKind.fromConfigName(kind)));
            if (forwarded.contains(ForwardKind.IMPRESSIONS) && values.getString(PageKeys.IMPRESSION_URL) == null) {
                own.add(new ConfigProblem(PageKeys.IMPRESSION_URL, "is required when the page forwards impressions"));
            }
            if (forwarded.contains(ForwardKind.CLICKS) && values.getString(PageKeys.CLICK_URL) == null) {
                own.add(new ConfigProblem(PageKeys.CLICK_URL, "is required when the page forwards clicks"));
            }
        }
        own.forEach(problem -> problems.add(new ConfigProblem(prefix + problem.key(), problem.reason())));
        if (!own.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PageSettings(
                id,
                values.getString(PageKeys.KOCHAVA_APP_ID),
                values.getString(PageKeys.IMPRESSION_URL),
                values.getString(PageKeys.CLICK_URL),
                forwarded,
                values.getBoolean(PageKeys.INCLUDE_MESSAGE_CONTENT)));
    }

    /** The pages by id. */
    public Map<String, PageSettings> pages() {
        return pages;
    }

    public String bootstrapServers() {
        return values.getString(ConnectionKeys.BOOTSTRAP_SERVERS);
    }

    /** The registry serde's configuration. */
    public Map<String, Object> schemaRegistryConfig() {
        return ConnectionKeys.registryConfig(values);
    }

    public String interactionsTopic() {
        return values.getString(IntakeKeys.TOPIC_INTERACTIONS);
    }

    public String deadLetterTopic() {
        return values.getString(IntakeKeys.TOPIC_DEAD_LETTERS);
    }

    public Password appSecret() {
        return values.getPassword(IntakeKeys.APP_SECRET);
    }

    public Password verifyToken() {
        return values.getPassword(IntakeKeys.VERIFY_TOKEN);
    }

    public int webhookPort() {
        return values.getInt(IntakeKeys.WEBHOOK_PORT);
    }

    public String webhookPath() {
        return values.getString(IntakeKeys.WEBHOOK_PATH);
    }

    public int maxBodyBytes() {
        return values.getInt(IntakeKeys.MAX_BODY_BYTES);
    }

    public int maxConnections() {
        return values.getInt(IntakeKeys.MAX_CONNECTIONS);
    }

    /** How records are placed by their key: as the pipeline places join keys. */
    public JoinKeyPartitioner partitioner() {
        return JoinKeyPartitioner.valueOf(values.getString(IntakeKeys.PARTITIONER));
    }

    public Duration publishTimeout() {
        return values.getDuration(IntakeKeys.PUBLISH_TIMEOUT);
    }

    public int httpPort() {
        return values.getInt(IntakeKeys.HTTP_PORT);
    }

    public Duration shutdownTimeout() {
        return values.getDuration(IntakeKeys.SHUTDOWN_TIMEOUT);
    }

    public String piiMaskKey() {
        Password key = values.getPassword(IntakeKeys.PII_MASK_KEY);
        return key == null ? null : key.value();
    }

    /** The {@code kafka.*} keys, prefix removed: for the producer and the admin client. */
    public Map<String, String> kafkaProperties() {
        return kafkaProperties;
    }
}
