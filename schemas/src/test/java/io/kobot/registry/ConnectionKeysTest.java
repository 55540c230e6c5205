package io.kobot.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kobot.config.ConfigProblem;
import io.kobot.config.ConfigValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class ConnectionKeysTest {
    @Test
    void declaresTheConnectionKeysOnceWithTheRegistryClientsOwnUrlKey() {
        assertThat(ConnectionKeys.CONFIG_DEF.names())
                .containsExactlyInAnyOrder(
                        "bootstrap.servers", "schema.registry.url", "schema.registry.basic.auth.user.info");
        assertThat(ConnectionKeys.key(ConnectionKeys.SCHEMA_REGISTRY_URL))
                .isSameAs(SchemaRegistryConfig.CONFIG_DEF.configKeys().get(SchemaRegistryConfig.URL_CONFIG));
        assertThatThrownBy(() -> ConnectionKeys.key("topics.interactions"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSerdesGetTheUrlsAndBasicAuthFromUserInfo() {
        ConfigValues values = parse(Map.of(
                "bootstrap.servers", "b:9092",
                "schema.registry.url", "http://r1:8081,http://r2:8081",
                "schema.registry.basic.auth.user.info", "alice:s3cr3t"));

        Map<String, Object> serdes = ConnectionKeys.registryConfig(values);

        assertThat(serdes)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "schema.registry.url", "http://r1:8081,http://r2:8081",
                        "basic.auth.credentials.source", "USER_INFO",
                        "basic.auth.user.info", new Password("alice:s3cr3t")));
        assertThat(serdes.toString()).doesNotContain("s3cr3t");
        SchemaRegistryConfig config = SchemaRegistryConfig.from(serdes);
        assertThat(config.urls()).hasSize(2);
        assertThat(config.hasBasicAuth()).isTrue();
        assertThat(ConnectionKeys.registryConfig(
                        parse(Map.of("bootstrap.servers", "b:9092", "schema.registry.url", "mock://t"))))
                .containsOnlyKeys("schema.registry.url");
    }

    @Test
    void userInfoMustBeUserColonPasswordAndIsNeverQuoted() {
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigValues values = ConfigValues.parse(
                ConnectionKeys.CONFIG_DEF,
                Map.of(
                        "bootstrap.servers", "b:9092",
                        "schema.registry.url", "mock://t",
                        "schema.registry.basic.auth.user.info", "no-colon-s3cr3t"),
                problems);

        ConnectionKeys.checkAcross(values, problems);

        assertThat(problems)
                .containsExactly(new ConfigProblem("schema.registry.basic.auth.user.info", "must be user:password"));
        assertThat(problems.toString()).doesNotContain("s3cr3t");
    }

    private static ConfigValues parse(Map<String, String> raw) {
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigValues values = ConfigValues.parse(ConnectionKeys.CONFIG_DEF, raw, problems);
        ConnectionKeys.checkAcross(values, problems);
        assertThat(problems).isEmpty();
        return values;
    }
}
