package io.kobot.streams.config;

import io.kobot.config.ConfigProblem;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * Resolves references to secrets kept outside the configuration, with Kafka's own config providers and syntax:
 * {@code ${file:/path/to/file.properties:key}} (a key of a properties file) and {@code ${env:NAME}} (an environment
 * variable). The resolved values are used, never printed when their key is secret (see {@link Secrets}).
 */
final class ConfigReferences {
    private static final Pattern OUR_REFERENCE = Pattern.compile("\\$\\{(file|env):[^}]*}");

    private ConfigReferences() {}

    static Map<String, String> resolve(Map<String, String> raw, Map<String, String> env, List<ConfigProblem> problems) {
        if (raw.values().stream()
                .noneMatch(
                        value -> value != null && OUR_REFERENCE.matcher(value).find())) {
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
            if (value != null && OUR_REFERENCE.matcher(value).find()) {
                problems.add(new ConfigProblem(
                        key, "refers to a file key or environment variable that does not " + "exist"));
            }
        });
        return resolved;
    }
}
