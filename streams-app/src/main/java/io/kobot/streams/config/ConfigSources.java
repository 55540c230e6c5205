package io.kobot.streams.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads the raw configuration from its three sources and merges them, later ones winning: a properties file,
 * then environment variables, then {@code --set key=value} flags.
 *
 * <p>Environment variables: {@value #ENV_PREFIX} followed by the key in upper case, with {@code .} written as
 * {@code _} and {@code -} as {@code __}. So {@code KOBOT_BOOTSTRAP_SERVERS} is {@code bootstrap.servers},
 * {@code KOBOT_DEDUP_RETENTION} is {@code dedup.retention}, {@code KOBOT_TOPICS_IDENTITY__LINKS} is
 * {@code topics.identity-links} and {@code KOBOT_KAFKA_SASL_JAAS_CONFIG} is {@code kafka.sasl.jaas.config}.
 * Keys that contain {@code _} cannot be set this way (none of the pipeline's do).
 */
public final class ConfigSources {
    public static final String ENV_PREFIX = "KOBOT_";

    private ConfigSources() {}

    /**
     * The merged raw values; problems reading a source are added to {@code problems}.
     *
     * @param file      the properties file, if any
     * @param env       the process environment (only {@value #ENV_PREFIX} variables are read)
     * @param overrides {@code key=value} flags, in the order given
     */
    public static Map<String, String> merge(
            Optional<Path> file, Map<String, String> env, List<String> overrides, List<ConfigProblem> problems) {
        Map<String, String> merged = new TreeMap<>();
        file.ifPresent(path -> merged.putAll(readFile(path, problems)));
        env.forEach((name, value) -> keyOfEnv(name).ifPresent(key -> merged.put(key, value)));
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                // The flag is not echoed: it may be a secret given without its key.
                problems.add(new ConfigProblem("--set", "expected key=value (an argument has no key)"));
            } else {
                merged.put(override.substring(0, eq).trim(), override.substring(eq + 1));
            }
        }
        return merged;
    }

    /** The environment variable that sets {@code key}. */
    public static String envNameOf(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace("-", "__").replace('.', '_');
    }

    /** The key an environment variable sets, if it is one of ours. */
    public static Optional<String> keyOfEnv(String name) {
        if (!name.startsWith(ENV_PREFIX) || name.length() == ENV_PREFIX.length()) {
            return Optional.empty();
        }
        String key = name.substring(ENV_PREFIX.length())
                .toLowerCase(Locale.ROOT)
                .replace("__", "-")
                .replace('_', '.');
        return Optional.of(key);
    }

    private static Map<String, String> readFile(Path path, List<ConfigProblem> problems) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            problems.add(new ConfigProblem("--config", "no such file: " + path));
        } catch (IOException | IllegalArgumentException e) {
            problems.add(new ConfigProblem("--config", "cannot read " + path + ": " + e.getMessage()));
        }
        Map<String, String> values = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
        return values;
    }
}
