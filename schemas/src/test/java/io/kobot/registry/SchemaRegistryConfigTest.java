package io.kobot.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SchemaRegistryConfigTest {

    @Test
    void appliesDefaults() {
        SchemaRegistryConfig config =
                SchemaRegistryConfig.from(Map.of("schema.registry.url", "http://registry:8080/apis/ccompat/v7/"));

        assertThat(config.urls()).containsExactly(URI.create("http://registry:8080/apis/ccompat/v7"));
        assertThat(config.mockScope()).isEmpty();
        assertThat(config.hasBasicAuth()).isFalse();
        assertThat(config.autoRegisterSchemas()).isTrue();
        assertThat(config.requestTimeoutMs()).isEqualTo(10_000);
        assertThat(config.maxRetries()).isEqualTo(3);
        assertThat(config.retryBackoffMs()).isEqualTo(200);
    }

    @Test
    void readsEveryKeyAndIgnoresOthers() {
        SchemaRegistryConfig config = SchemaRegistryConfig.from(Map.of(
                "schema.registry.url", "http://a:1, https://b:2",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "svc:s3cret",
                "auto.register.schemas", "false",
                "schema.registry.request.timeout.ms", 500,
                "schema.registry.max.retries", "0",
                "schema.registry.retry.backoff.ms", 7,
                "application.id", "unrelated"));

        assertThat(config.urls()).containsExactly(URI.create("http://a:1"), URI.create("https://b:2"));
        assertThat(config.hasBasicAuth()).isTrue();
        assertThat(config.authorizationHeader()).contains("Basic c3ZjOnMzY3JldA==");
        assertThat(config.autoRegisterSchemas()).isFalse();
        assertThat(config.requestTimeoutMs()).isEqualTo(500);
        assertThat(config.maxRetries()).isZero();
        assertThat(config.retryBackoffMs()).isEqualTo(7);
    }

    @Test
    void toStringNeverShowsThePassword() {
        SchemaRegistryConfig config = SchemaRegistryConfig.from(Map.of(
                "schema.registry.url", "http://a:1",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "svc:s3cret"));

        assertThat(config.toString())
                .doesNotContain("s3cret")
                .doesNotContain("svc")
                .contains("http://a:1", "USER_INFO");
    }

    @Test
    void selectsTheMockRegistry() {
        SchemaRegistryConfig config = SchemaRegistryConfig.from(Map.of("schema.registry.url", "mock://unit"));

        assertThat(config.mockScope()).contains("unit");
        assertThat(config.urls()).isEmpty();
    }

    @Test
    void rejectsBadValuesNamingTheKey() {
        assertRejected(Map.of(), "schema.registry.url");
        assertRejected(Map.of("schema.registry.url", ""), "schema.registry.url");
        assertRejected(Map.of("schema.registry.url", "ftp://a"), "schema.registry.url");
        assertRejected(Map.of("schema.registry.url", "mock://"), "schema.registry.url");
        assertRejected(Map.of("schema.registry.url", List.of("mock://a", "http://b")), "schema.registry.url");
        assertRejected(
                Map.of("schema.registry.url", "http://a:1", "basic.auth.credentials.source", "SASL_INHERIT"),
                "basic.auth.credentials.source");
        assertRejected(
                Map.of("schema.registry.url", "http://a:1", "basic.auth.credentials.source", "USER_INFO"),
                "basic.auth.user.info");
        assertRejected(
                Map.of("schema.registry.url", "http://a:1", "schema.registry.max.retries", -1),
                "schema.registry.max.retries");
        assertRejected(
                Map.of("schema.registry.url", "http://a:1", "auto.register.schemas", "maybe"), "auto.register.schemas");
    }

    @Test
    void rejectsCredentialsInTheUrlWithoutEchoingThem() {
        assertThatThrownBy(() -> SchemaRegistryConfig.from(Map.of("schema.registry.url", "http://svc:s3cret@a:1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.user.info")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void rejectsUserInfoWithoutAColonWithoutEchoingIt() {
        assertThatThrownBy(() -> SchemaRegistryConfig.from(Map.of(
                        "schema.registry.url", "http://a:1",
                        "basic.auth.credentials.source", "USER_INFO",
                        "basic.auth.user.info", "s3cret")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("user:password")
                .hasMessageNotContaining("s3cret");
    }

    private static void assertRejected(Map<String, ?> configs, String key) {
        assertThatThrownBy(() -> SchemaRegistryConfig.from(configs))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key);
    }
}
