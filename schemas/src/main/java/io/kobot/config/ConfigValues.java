package io.kobot.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The typed values of one {@link ConfigDef}'s keys, read from a map whose values may be strings, numbers, booleans
 * or lists (Kafka-style properties and parsed YAML both work). Unlike {@link ConfigDef#parse}, which stops at the
 * first error, every problem is collected; a key that is absent, null or blank takes its default. Keys the
 * definition does not declare are ignored here (see {@link ConfigDefs#unknownKeys} to report them).
 *
 * <p>A key whose value is invalid is absent from the result, so rules across keys can run on the keys that are
 * valid: check {@link #has} first.
 */
public final class ConfigValues {
    private static final Pattern KAFKA_PREFIX =
            Pattern.compile("^Invalid value .* for configuration [^:]+: ", Pattern.DOTALL);

    private final ConfigDef definition;
    private final Map<String, Object> values;

    private ConfigValues(ConfigDef definition, Map<String, Object> values) {
        this.definition = definition;
        this.values = Collections.unmodifiableMap(values);
    }

    /** Parses and validates every key of {@code definition}, adding each problem to {@code problems}. */
    public static ConfigValues parse(ConfigDef definition, Map<String, ?> raw, List<ConfigProblem> problems) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey key : definition.configKeys().values()) {
            Object value = raw.get(key.name);
            if (value == null || (value instanceof String text && text.isBlank())) {
                if (!key.hasDefault()) {
                    problems.add(new ConfigProblem(key.name, "is required"));
                } else if (key.defaultValue != null) {
                    values.put(key.name, key.defaultValue);
                }
                continue;
            }
            if (value instanceof Number || value instanceof Boolean || value instanceof Duration) {
                value = value.toString();
            }
            Object parsed;
            try {
                parsed = ConfigDef.parseType(key.name, value, key.type);
            } catch (ConfigException e) {
                problems.add(new ConfigProblem(
                        key.name,
                        key.type == ConfigDef.Type.PASSWORD
                                ? "is invalid"
                                : "must be " + expected(key.type) + ", got '" + value + "'"));
                continue;
            }
            try {
                if (key.validator != null) {
                    key.validator.ensureValid(key.name, parsed);
                }
                values.put(key.name, parsed);
            } catch (ConfigException e) {
                problems.add(new ConfigProblem(key.name, reason(e)));
            }
        }
        return new ConfigValues(definition, values);
    }

    private static String expected(ConfigDef.Type type) {
        return switch (type) {
            case BOOLEAN -> "true or false";
            case INT, SHORT -> "an integer";
            case LONG -> "a whole number";
            case DOUBLE -> "a number";
            case LIST -> "a comma-separated list";
            default -> "a " + type.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The validator's reason, without the value Kafka's own validators put in front (it may be a secret). */
    private static String reason(ConfigException e) {
        String message = e.getMessage() == null ? "is invalid" : e.getMessage();
        return KAFKA_PREFIX.matcher(message).replaceFirst("");
    }

    /** Whether {@code key} has a valid value (given or default). */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Object get(String key) {
        return values.get(key);
    }

    public String getString(String key) {
        return (String) values.get(key);
    }

    public Integer getInt(String key) {
        return (Integer) values.get(key);
    }

    public Long getLong(String key) {
        return (Long) values.get(key);
    }

    public Double getDouble(String key) {
        return (Double) values.get(key);
    }

    public Boolean getBoolean(String key) {
        return (Boolean) values.get(key);
    }

    public Password getPassword(String key) {
        return (Password) values.get(key);
    }

    @SuppressWarnings("unchecked")
    public List<String> getList(String key) {
        return (List<String>) values.get(key);
    }

    /** A duration key's value (see {@link Durations}); null when it is unset or invalid. */
    public Duration getDuration(String key) {
        Object value = values.get(key);
        if (value == null) {
            return null;
        }
        ConfigDef.Validator validator = definition.configKeys().get(key).validator;
        return validator instanceof Durations.DurationValidator duration
                ? duration.parse(value)
                : Durations.parse(value, false);
    }

    /** Every valid value by key, in declaration order; passwords stay {@link Password}s. */
    public Map<String, Object> asMap() {
        return values;
    }

    public ConfigDef definition() {
        return definition;
    }
}
