package io.kobot.connect.kochava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kobot.config.ConfigProblem;
import io.kobot.config.InvalidConfigurationException;
import io.kobot.kochava.BodyMode;
import io.kobot.kochava.KochavaClientConfig;
import io.kobot.registry.SchemaRegistryConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class KochavaSinkConnectorConfigTest {

    private static final Map<String, String> MINIMAL = Map.of("topics", "bot.engagements");

    @Test
    void defaultsAreTheKochavaClientDefaults() {
        KochavaSinkConnectorConfig config = new KochavaSinkConnectorConfig(MINIMAL);
        KochavaClientConfig client = config.clientConfig();
        KochavaClientConfig defaults = KochavaClientConfig.defaults();

        assertThat(client.endpoint()).isEqualTo(defaults.endpoint());
        assertThat(client.bodyMode()).isEqualTo(BodyMode.OBJECT);
        assertThat(client.requestTimeout()).isEqualTo(defaults.requestTimeout());
        assertThat(client.maxInFlight()).isEqualTo(defaults.maxInFlight());
        assertThat(client.maxRetryTime()).isEqualTo(defaults.maxRetryTime());
        assertThat(client.initialBackoff()).isEqualTo(defaults.initialBackoff());
        assertThat(client.maxBackoff()).isEqualTo(defaults.maxBackoff());
        assertThat(client.rateLimitPerApp()).isZero();
        assertThat(config.maxPendingRecords()).isEqualTo(10_000);
        assertThat(config.stopTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.registryConfigs()).isEmpty();
    }

    @Test
    void mapsKochavaAndDeliveryKeysOntoTheClient() {
        KochavaClientConfig client = new KochavaSinkConnectorConfig(with(
                        "kochava.endpoint", "http://localhost:8089/track/json",
                        "kochava.body-mode", "ARRAY",
                        "delivery.max-in-flight", "32",
                        "delivery.max-retry-time", "5000",
                        "delivery.rate-limit.per-app", "2.5",
                        "kochava.ping.allowed-hosts", "*.kochava.com, partner.example",
                        "kochava.allow-private-addresses", "true",
                        "delivery.ping.max-in-flight", "8",
                        "delivery.ping.max-connections", "4"))
                .clientConfig();

        assertThat(client.endpoint()).hasToString("http://localhost:8089/track/json");
        assertThat(client.bodyMode()).isEqualTo(BodyMode.ARRAY);
        assertThat(client.maxInFlight()).isEqualTo(32);
        assertThat(client.maxRetryTime()).isEqualTo(Duration.ofSeconds(5));
        assertThat(client.rateLimitPerApp()).isEqualTo(2.5);
        assertThat(client.pingAllowedHosts().rules()).containsExactly("*.kochava.com", "partner.example");
        assertThat(client.allowPrivateAddresses()).isTrue();
        assertThat(client.pingMaxInFlight()).isEqualTo(8);
        assertThat(client.pingMaxConnections()).isEqualTo(4);
    }

    @Test
    void theTrackingHostAllowlistDefaultsToKochavasAndRefusesIpAddresses() {
        KochavaClientConfig client = new KochavaSinkConnectorConfig(with()).clientConfig();
        assertThat(client.pingAllowedHosts().rules())
                .containsExactlyElementsOf(io.kobot.kochava.PingHostAllowlist.KOCHAVA_HOSTS);
        assertThat(client.allowPrivateAddresses()).isFalse();
        assertThatThrownBy(() ->
                        new KochavaSinkConnectorConfig(with("kochava.ping.allowed-hosts", "10.0.0.1")).clientConfig())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kochava.ping.allowed-hosts");
    }

    @Test
    void thePiiMaskKeyIsAPassword() {
        KochavaSinkConnectorConfig config = new KochavaSinkConnectorConfig(with("logging.pii-mask-key", "k3y"));

        assertThat(KochavaSinkConnectorConfig.CONFIG_DEF.configKeys().get("logging.pii-mask-key").type)
                .isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(config.piiMaskKey()).isEqualTo("k3y");
        assertThat(config.values().toString()).doesNotContain("k3y");
        assertThat(new KochavaSinkConnectorConfig(with()).piiMaskKey()).isNull();
    }

    @Test
    void validatorsRefuseBadValues() {
        assertThatThrownBy(() -> new KochavaSinkConnectorConfig(with("kochava.endpoint", "ftp://example.com/x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kochava.endpoint");
        assertThatThrownBy(() -> new KochavaSinkConnectorConfig(with("kochava.body-mode", "batch")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kochava.body-mode");
        assertThatThrownBy(() -> new KochavaSinkConnectorConfig(with("delivery.max-in-flight", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("delivery.max-in-flight");
        assertThatThrownBy(() -> new KochavaSinkConnectorConfig(with("delivery.max-retry-time", "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("delivery.max-retry-time");
    }

    @Test
    void validateReportsTheClientsCrossFieldErrorsOnTheirKey() {
        Map<String, String> props = with(
                "connector.class", KochavaSinkConnector.class.getName(),
                "delivery.retry.initial-backoff", "5000",
                "delivery.retry.max-backoff", "1000");

        Config result = new KochavaSinkConnector().validate(props);

        ConfigValue maxBackoff = result.configValues().stream()
                .filter(value -> value.name().equals("delivery.retry.max-backoff"))
                .findFirst()
                .orElseThrow();
        assertThat(maxBackoff.errorMessages()).singleElement().asString().contains("delivery.retry.initial-backoff");
        assertThatThrownBy(() -> new KochavaSinkConnector().start(props)).isInstanceOf(ConfigException.class);
    }

    @Test
    void validateKeepsTheCrossFieldRuleWhenAnotherFieldIsInvalid() {
        Map<String, String> props = with(
                "connector.class", KochavaSinkConnector.class.getName(),
                "kochava.endpoint", "ftp://nowhere",
                "delivery.max-in-flight", "-1",
                "delivery.retry.initial-backoff", "PT5S",
                "delivery.retry.max-backoff", "1000");

        Map<String, List<String>> errors = errorsByKey(new KochavaSinkConnector().validate(props));

        assertThat(errors).containsOnlyKeys("kochava.endpoint", "delivery.max-in-flight", "delivery.retry.max-backoff");
        assertThat(errors.get("delivery.retry.max-backoff"))
                .singleElement()
                .asString()
                .contains("delivery.retry.initial-backoff");
        assertThat(errors.get("delivery.max-in-flight")).containsExactly("must be at least 1, got -1");
        assertThatThrownBy(() -> new KochavaSinkConnectorConfig(props))
                .isInstanceOfSatisfying(
                        InvalidConfigurationException.class,
                        e -> assertThat(e.problems())
                                .extracting(ConfigProblem::key)
                                .containsExactly(
                                        "kochava.endpoint", "delivery.max-in-flight", "delivery.retry.max-backoff"));
    }

    @Test
    void validateReportsUnknownKeysOfTheConnectorsOwnNamespacesWithANearMiss() {
        Map<String, String> props = with(
                "connector.class", KochavaSinkConnector.class.getName(),
                "tasks.max", "2",
                "errors.tolerance", "all",
                "delivery.max-inflight", "32",
                "kochava.identity-link.forward", "true",
                "sink.frobnicate", "yes");

        Map<String, List<String>> errors = errorsByKey(new KochavaSinkConnector().validate(props));

        assertThat(errors)
                .containsOnlyKeys("delivery.max-inflight", "kochava.identity-link.forward", "sink.frobnicate");
        assertThat(errors.get("delivery.max-inflight"))
                .containsExactly("unknown key; did you mean delivery.max-in-flight?");
        assertThat(errors.get("kochava.identity-link.forward"))
                .singleElement()
                .asString()
                .startsWith("unknown key");
    }

    @Test
    void durationsTakeIsoOrAUnitAndPlainMillisecondsAsBefore() {
        KochavaSinkConnectorConfig config = new KochavaSinkConnectorConfig(with(
                "sink.stop-timeout", "PT45S",
                "delivery.request-timeout", "2500",
                "delivery.max-retry-time", "10m"));

        assertThat(config.stopTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.clientConfig().requestTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.clientConfig().maxRetryTime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(new KochavaSinkConnectorConfig(with("sink.stop-timeout", "1500")).stopTimeout())
                .isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void composesTheClientsDeclarationsInsteadOfRepeatingThem() {
        KochavaClientConfig.CONFIG_DEF.configKeys().values().stream()
                .filter(key -> !key.name.startsWith("kochava.identity-link."))
                .forEach(key -> assertThat(KochavaSinkConnectorConfig.CONFIG_DEF
                                .configKeys()
                                .get(key.name))
                        .isSameAs(key));
        assertThat(KochavaSinkConnectorConfig.isSecret("schema.registry.basic.auth.user.info"))
                .isTrue();
        assertThat(KochavaSinkConnectorConfig.isSecret("kochava.endpoint")).isFalse();
    }

    @Test
    void registryUrlsAreCheckedForSyntax() {
        assertThatThrownBy(() -> new KochavaSinkConnectorConfig(with("schema.registry.url", "registry:8081")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> new KochavaSinkConnectorConfig(
                        with("schema.registry.url", "http://r:8081", "schema.registry.basic.auth.user.info", "s3cret")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.basic.auth.user.info")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void registryCredentialsArePasswordsAndStayHidden() {
        KochavaSinkConnectorConfig config = new KochavaSinkConnectorConfig(with(
                "schema.registry.url", "http://registry:8080/apis/ccompat/v7",
                "schema.registry.basic.auth.user.info", "kobot:s3cret"));

        assertThat(KochavaSinkConnectorConfig.CONFIG_DEF.configKeys().get("schema.registry.basic.auth.user.info").type)
                .isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(config.values().toString()).doesNotContain("s3cret").contains(Password.HIDDEN);
        Map<String, Object> registry = config.registryConfigs().orElseThrow();
        assertThat(registry).containsEntry(SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO");
        assertThat(registry.toString()).doesNotContain("s3cret");
        assertThat(SchemaRegistryConfig.from(registry).hasBasicAuth()).isTrue();
    }

    @Test
    void everyKeyIsDocumented() {
        KochavaSinkConnectorConfig.CONFIG_DEF
                .configKeys()
                .values()
                .forEach(key -> assertThat(key.documentation).as(key.name).isNotBlank());
    }

    private static Map<String, List<String>> errorsByKey(Config config) {
        Map<String, List<String>> errors = new HashMap<>();
        config.configValues().stream()
                .filter(value -> !value.errorMessages().isEmpty())
                .forEach(value -> errors.put(value.name(), value.errorMessages()));
        return errors;
    }

    private static Map<String, String> with(String... keysAndValues) {
        Map<String, String> props = new HashMap<>(MINIMAL);
        for (int i = 0; i < keysAndValues.length; i += 2) props.put(keysAndValues[i], keysAndValues[i + 1]);
        return props;
    }
}
