package io.kobot.streams.config;

import io.kobot.kochava.KochavaClientConfig;
import io.kobot.kochava.UrlCredentials;
import io.kobot.streams.deliver.DeliverySettings;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Which configuration values are secrets, by their DECLARED type, and how any value may be printed. A key of
 * {@link ConfigKeys} is secret when its type is {@link ValueType#password()}; a {@code kafka.} key when Kafka
 * declares it {@code Type.PASSWORD} (Streams, producer, consumer or admin, with or without a client prefix); the
 * Kochava client's and delivery's keys hold none. Only a key nobody declares falls back to a conservative name rule.
 * Every other value is printed with the credentials inside URLs masked ({@link UrlCredentials}).
 */
public final class Secrets {
    public static final String MASK = "[hidden]";

    /** For keys no one declares: anything that looks like a credential is hidden, at the cost of some that are not. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "passw|pwd|passphrase|secret|token|credential|private|user\\.info|jaas|auth|key$|key[.\\-_]",
            Pattern.CASE_INSENSITIVE);

    private static final List<String> KAFKA_CLIENT_PREFIXES = List.of(
            StreamsConfig.MAIN_CONSUMER_PREFIX,
            StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX,
            StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.PRODUCER_PREFIX,
            StreamsConfig.ADMIN_CLIENT_PREFIX,
            StreamsConfig.TOPIC_PREFIX);
    private static final List<ConfigDef> KAFKA_DEFINITIONS = List.of(
            StreamsConfig.configDef(),
            ProducerConfig.configDef(),
            ConsumerConfig.configDef(),
            AdminClientConfig.configDef());

    private Secrets() {}

    /** Whether the value of {@code key}, as written in the pipeline configuration, is a secret. */
    public static boolean isSecret(String key) {
        Optional<ConfigKey> own = ConfigKeys.find(key);
        if (own.isPresent()) {
            return own.get().type().isSecret();
        }
        if (key.startsWith(ConfigKeys.KAFKA_PREFIX)) {
            return isKafkaSecret(key.substring(ConfigKeys.KAFKA_PREFIX.length()));
        }
        if (isDeliveryKey(key)) {
            return false;
        }
        return SECRET_NAME.matcher(key).find();
    }

    /** The value as it may be printed or logged: {@link #MASK} for a secret, else with URL credentials masked. */
    public static String printable(String key, String value) {
        if (value == null) {
            return null;
        }
        return isSecret(key) ? MASK : UrlCredentials.mask(value);
    }

    private static boolean isKafkaSecret(String name) {
        String bare = name;
        for (String prefix : KAFKA_CLIENT_PREFIXES) {
            if (bare.startsWith(prefix)) {
                bare = bare.substring(prefix.length());
                break;
            }
        }
        for (ConfigDef definition : KAFKA_DEFINITIONS) {
            ConfigDef.ConfigKey declared = definition.configKeys().get(bare);
            if (declared != null) {
                return declared.type == ConfigDef.Type.PASSWORD;
            }
        }
        return SECRET_NAME.matcher(bare).find();
    }

    private static boolean isDeliveryKey(String key) {
        return KochavaClientConfig.keys().stream().anyMatch(doc -> doc.name().equals(key))
                || DeliverySettings.keys().stream().anyMatch(doc -> doc.name().equals(key));
    }
}
