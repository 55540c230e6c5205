package io.kobot.registry;

import io.kobot.config.ConfigProblem;
import io.kobot.config.ConfigValues;
import io.kobot.config.Validators;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.types.Password;

/**
 * How a component (the pipeline, the Messenger intake, the Connect sink) reaches its Kafka cluster and its schema
 * registry, declared once: {@value #BOOTSTRAP_SERVERS}, {@value #SCHEMA_REGISTRY_URL} (the registry client's own
 * declaration) and {@value #SCHEMA_REGISTRY_USER_INFO}. Each component defines these keys in its own
 * {@link ConfigDef} ({@link #key}), checks them with {@link #checkAcross} and configures its serdes with
 * {@link #registryConfig}.
 */
public final class ConnectionKeys {
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = SchemaRegistryConfig.URL_CONFIG;
    public static final String SCHEMA_REGISTRY_USER_INFO = "schema.registry.basic.auth.user.info";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    BOOTSTRAP_SERVERS,
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Validators.hostPortList(),
                    Importance.HIGH,
                    "Kafka brokers, host:port[,host:port…].")
            .define(SchemaRegistryConfig.CONFIG_DEF.configKeys().get(SCHEMA_REGISTRY_URL))
            .define(
                    SCHEMA_REGISTRY_USER_INFO,
                    Type.PASSWORD,
                    null,
                    Importance.MEDIUM,
                    "user:password for HTTP basic auth to the schema registry (secret).");

    private ConnectionKeys() {}

    /** The declaration of {@code name}, one of this class's keys, for a component's own {@link ConfigDef}. */
    public static ConfigDef.ConfigKey key(String name) {
        ConfigDef.ConfigKey key = CONFIG_DEF.configKeys().get(name);
        if (key == null) {
            throw new IllegalArgumentException(name + " is not a connection key");
        }
        return key;
    }

    /** The rule across these keys: the registry credentials are {@code user:password}. */
    public static void checkAcross(ConfigValues values, List<ConfigProblem> problems) {
        Password userInfo = values.getPassword(SCHEMA_REGISTRY_USER_INFO);
        if (userInfo != null && userInfo.value().indexOf(':') < 1) {
            problems.add(new ConfigProblem(SCHEMA_REGISTRY_USER_INFO, "must be user:password"));
        }
    }

    /**
     * The declaration of {@code name}, one of this class's keys, as an optional key (unset by default) of a component
     * that needs it in some set-ups only, with that component's documentation and place among its keys; the type and
     * the validator stay those declared here.
     */
    public static ConfigDef.ConfigKey optionalKey(
            String name, String documentation, String group, int orderInGroup, Width width, String displayName) {
        ConfigDef.ConfigKey declared = key(name);
        return new ConfigDef.ConfigKey(
                name,
                declared.type,
                null,
                declared.validator,
                Importance.LOW,
                documentation,
                group,
                orderInGroup,
                width,
                displayName,
                List.of(),
                null,
                false);
    }

    /** What the component's registry serdes are configured with (see {@link SchemaRegistryConfig}). */
    public static Map<String, Object> registryConfig(ConfigValues values) {
        return registryConfig(values.getList(SCHEMA_REGISTRY_URL), values.getPassword(SCHEMA_REGISTRY_USER_INFO));
    }

    /**
     * What registry serdes are configured with for {@code urls} and, when not null, the credentials {@code userInfo}
     * (kept a {@link Password}, so that the map prints them hidden).
     */
    public static Map<String, Object> registryConfig(List<String> urls, Password userInfo) {
        Map<String, Object> config = new HashMap<>();
        config.put(SchemaRegistryConfig.URL_CONFIG, String.join(",", urls));
        if (userInfo != null) {
            config.put(
                    SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, SchemaRegistryConfig.USER_INFO_SOURCE);
            config.put(SchemaRegistryConfig.BASIC_AUTH_USER_INFO_CONFIG, userInfo);
        }
        return config;
    }
}
