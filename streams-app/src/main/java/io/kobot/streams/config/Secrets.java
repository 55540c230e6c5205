package io.kobot.streams.config;

import io.kobot.config.UrlCredentials;
import java.util.regex.Pattern;

/**
 * Which configuration values are secrets, by their DECLARED type, and how any value may be printed. A key of
 * {@link PipelineConfig#CONFIG_DEF} is secret when it is declared {@code Type.PASSWORD}; a {@code kafka.} key when
 * Kafka declares it {@code Type.PASSWORD} (Streams, producer, consumer or admin, with or without a client prefix).
 * Only a {@code kafka.} key Kafka does not declare falls back to a conservative name rule. Every other value is
 * printed with the credentials inside URLs masked ({@link UrlCredentials}).
 */
public final class Secrets {
    public static final String MASK = "[hidden]";

    /** For keys no one declares: anything that looks like a credential is hidden, at the cost of some that are not. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "passw|pwd|passphrase|secret|token|credential|private|user\\.info|jaas|auth|key$|key[.\\-_]",
            Pattern.CASE_INSENSITIVE);

    private Secrets() {}

    /** Whether the value of {@code key}, as written in the pipeline configuration, is a secret. */
    public static boolean isSecret(String key) {
        if (PipelineConfig.CONFIG_DEF.configKeys().containsKey(key)) {
            return PipelineConfig.isSecret(key);
        }
        if (key.startsWith(ConfigKeys.KAFKA_PREFIX)) {
            return PipelineConfig.isSecret(key)
                    || !PipelineConfig.isDeclaredByKafka(key)
                            && SECRET_NAME.matcher(key).find();
        }
        // Unknown keys are refused, but their values may still appear in a message: the name rule decides.
        return SECRET_NAME.matcher(key).find();
    }

    /** The value as it may be printed or logged: {@link #MASK} for a secret, else with URL credentials masked. */
    public static String printable(String key, String value) {
        if (value == null) {
            return null;
        }
        return isSecret(key) ? MASK : UrlCredentials.mask(value);
    }
}
