package io.kobot.config;

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
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * The raw configuration of a standalone component, by the pipeline's conventions: a properties file, then
 * environment variables ({@value #ENV_PREFIX} + the key in upper case, {@code .} as {@code _}, {@code -} as
 * {@code __}), then {@code key=value} flags, later ones winning; then {@code ${file:/path:key}} and
 * {@code ${env:NAME}} references resolved with Kafka's own config providers. Problems are collected, never thrown,
 * and never quote a value (it may be a secret).
 *
 * <p>So {@code KOBOT_BOOTSTRAP_SERVERS} is {@code bootstrap.servers}, {@code KOBOT_TOPICS_IDENTITY__LINKS} is
 * {@code topics.identity-links} and {@code KOBOT_KAFKA_SASL_JAAS_CONFIG} is {@code kafka.sasl.jaas.config}; keys that
 * contain {@code _} cannot be set this way (no component declares one).
 */
public final class RawConfiguration {
    public static final String ENV_PREFIX = "KOBOT_";

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(file|env):[^}]*}");

    private RawConfiguration() {}

    /** The merged and resolved raw values; problems reading or resolving a source are added to {@code problems}. */
    public static Map<String, String> load(
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
        return resolve(merged, env, problems);
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
        return Optional.of(name.substring(ENV_PREFIX.length())
                .toLowerCase(Locale.ROOT)
                .replace("__", "-")
                .replace('_', '.'));
    }

    /** {@code raw} with its {@code ${file:…}} and {@code ${env:…}} references replaced by what they name. */
    public static Map<String, String> resolve(
            Map<String, String> raw, Map<String, String> env, List<ConfigProblem> problems) {
        if (raw.values().stream()
                .noneMatch(value -> value != null && REFERENCE.matcher(value).find())) {
            return raw;
        }
        FileConfigProvider file = new FileConfigProvider();
        file.configure(Map.of());
        EnvVarConfigProvider envVars = new EnvVarConfigProvider(env);
        envVars.configure(Map.of());
        Map<String, String> resolved;
        try {
            resolved = new TreeMap<>(new ConfigTransformer(Map.<String, ConfigProvider>of("file", file, "env", envVars))
                    .transform(raw)
                    .data());
        } catch (ConfigException e) {
            problems.add(new ConfigProblem("${file:…}", "cannot be resolved: " + e.getMessage()));
            return raw;
        }
        resolved.forEach((key, value) -> {
            if (value != null && REFERENCE.matcher(value).find()) {
                problems.add(
                        new ConfigProblem(key, "refers to a file key or environment variable that does not exist"));
            }
        });
        return resolved;
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
