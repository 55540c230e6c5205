package io.kobot.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;

/** Composing {@link ConfigDef}s, and what the configuration model needs besides: unknown keys, secrets, docs. */
public final class ConfigDefs {
    private static final int MAX_TYPO_DISTANCE = 2;

    private ConfigDefs() {}

    /** One definition holding every key of {@code parts}, in order; a key declared twice is a bug. */
    public static ConfigDef compose(ConfigDef... parts) {
        ConfigDef composed = new ConfigDef();
        for (ConfigDef part : parts) {
            for (ConfigKey key : part.configKeys().values()) {
                if (composed.configKeys().containsKey(key.name)) {
                    throw new IllegalStateException("configuration key " + key.name + " is declared twice");
                }
                composed.define(key);
            }
        }
        return composed;
    }

    /** {@code definition} without the keys {@code excluded}. */
    public static ConfigDef without(ConfigDef definition, String... excluded) {
        Set<String> names = Set.of(excluded);
        ConfigDef result = new ConfigDef();
        definition.configKeys().values().stream()
                .filter(key -> !names.contains(key.name))
                .forEach(result::define);
        return result;
    }

    /** Whether {@code key} is declared secret ({@link ConfigDef.Type#PASSWORD}) in {@code definition}. */
    public static boolean isSecret(ConfigDef definition, String key) {
        ConfigKey declared = definition.configKeys().get(key);
        return declared != null && declared.type == ConfigDef.Type.PASSWORD;
    }

    /**
     * A problem for each of {@code given} that {@code definition} does not declare, unless it starts with one of
     * {@code passThroughPrefixes}; only names within {@code scopePrefixes} are looked at (empty: all). A near miss
     * of a declared key (or of a pass-through prefix) is named, so that a typo never silently falls back to a default.
     */
    public static List<ConfigProblem> unknownKeys(
            ConfigDef definition,
            Collection<String> given,
            List<String> passThroughPrefixes,
            List<String> scopePrefixes) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (String name : given) {
            boolean inScope = scopePrefixes.isEmpty() || scopePrefixes.stream().anyMatch(name::startsWith);
            boolean passesThrough = passThroughPrefixes.stream().anyMatch(name::startsWith);
            if (!inScope || passesThrough || definition.configKeys().containsKey(name)) {
                continue;
            }
            String reason = suggestion(definition, name, passThroughPrefixes)
                    .map(near -> "unknown key; did you mean " + near + "?")
                    .orElse("unknown key (see the configuration reference"
                            + (passThroughPrefixes.isEmpty()
                                    ? ""
                                    : "; passed through: " + String.join("*, ", passThroughPrefixes) + "*")
                            + ")");
            problems.add(new ConfigProblem(name, reason));
        }
        return problems;
    }

    private static Optional<String> suggestion(ConfigDef definition, String name, List<String> passThroughPrefixes) {
        List<String> candidates = new ArrayList<>(definition.names());
        int dot = name.indexOf('.');
        if (dot > 0) {
            passThroughPrefixes.forEach(prefix -> candidates.add(prefix + name.substring(dot + 1)));
        }
        String best = null;
        int bestDistance = MAX_TYPO_DISTANCE + 1;
        for (String candidate : candidates) {
            int distance = levenshtein(name, candidate, bestDistance);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Edit distance of {@code a} and {@code b}, or {@code limit} once it is known to be at least that. */
    static int levenshtein(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) >= limit) {
            return limit;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int rowMin = current[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                rowMin = Math.min(rowMin, current[j]);
            }
            if (rowMin >= limit) {
                return limit;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return Math.min(previous[b.length()], limit);
    }

    /** What values {@code key} takes, for the configuration reference: e.g. {@code int ≥ 1}, {@code boolean}. */
    public static String describeType(ConfigKey key) {
        if (key.validator instanceof Described described) {
            return described.describe(key.type);
        }
        return Validators.typeName(key.type);
    }

    /** The default as the configuration reference shows it: {@code (required)}, {@code (none)} or the value. */
    public static String describeDefault(ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        if (key.defaultValue == null) {
            return "(none)";
        }
        Object value = key.defaultValue;
        if (value instanceof Double number && number == Math.rint(number) && !Double.isInfinite(number)) {
            return String.valueOf(number.longValue());
        }
        return value instanceof List<?> list
                ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(value);
    }
}
