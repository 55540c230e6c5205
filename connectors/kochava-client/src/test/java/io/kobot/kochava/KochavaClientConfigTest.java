package io.kobot.kochava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kobot.config.ConfigProblem;
import io.kobot.config.InvalidConfigurationException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

class KochavaClientConfigTest {

    @Test
    void defaults() {
        KochavaClientConfig config = KochavaClientConfig.defaults();

        assertThat(config.endpoint()).isEqualTo(URI.create("https://control.kochava.com/track/json"));
        assertThat(config.bodyMode()).isEqualTo(BodyMode.OBJECT);
        assertThat(config.fbUserIdParam()).isEqualTo("fb_user_id");
        assertThat(config.forwardIdentityLinks()).isFalse();
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.maxConnections()).isEqualTo(256);
        assertThat(config.maxInFlight()).isEqualTo(256);
        assertThat(config.maxRetryTime()).isEqualTo(Duration.ofDays(1));
        assertThat(config.pingAllowedHosts().rules())
                .containsExactly(
                        "control.kochava.com",
                        "imp.control.kochava.com",
                        "*.kochava.com",
                        "smart.link",
                        "*.smart.link");
        assertThat(config.allowPrivateAddresses()).isFalse();
        assertThat(config.pingMaxConnections()).isEqualTo(64);
        assertThat(config.pingMaxInFlight()).isEqualTo(64);
        assertThat(config.initialBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.rateLimitPerApp()).isZero();
        assertThat(config.httpVersionPolicy()).isEqualTo(HttpVersionPolicy.NEGOTIATE);
        assertThat(config.h2MaxConnections()).isEqualTo(4);
        assertThat(config.h2MaxConcurrentStreams()).isEqualTo(100);
        assertThat(config.ioThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.maxOpeningConnections()).isEqualTo(32);
    }

    @Test
    void readsTheOpeningConnectionsAtLeastOne() {
        assertThat(KochavaClientConfig.from(Map.of("delivery.max-opening-connections", "4"))
                        .maxOpeningConnections())
                .isEqualTo(4);
        InvalidConfigurationException e = catchThrowableOfType(
                InvalidConfigurationException.class,
                () -> KochavaClientConfig.from(Map.of("delivery.max-opening-connections", "0")));
        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly("delivery.max-opening-connections");
    }

    @Test
    void readsTheIoThreads() {
        assertThat(KochavaClientConfig.from(Map.of("delivery.io-threads", "1")).ioThreads())
                .isEqualTo(1);
        InvalidConfigurationException e = catchThrowableOfType(
                InvalidConfigurationException.class,
                () -> KochavaClientConfig.from(Map.of("delivery.io-threads", "-1")));
        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly("delivery.io-threads");
    }

    @Test
    void readsTheHttpVersionKeys() {
        assertThat(KochavaClientConfig.from(Map.of("delivery.http.version-policy", "HTTP1"))
                        .httpVersionPolicy())
                .isEqualTo(HttpVersionPolicy.FORCE_HTTP_1);
        KochavaClientConfig h2 = KochavaClientConfig.from(Map.of(
                "delivery.http.version-policy", "h2-prior-knowledge",
                "delivery.h2.max-connections", "2",
                "delivery.h2.max-concurrent-streams", "500"));
        assertThat(h2.httpVersionPolicy()).isEqualTo(HttpVersionPolicy.FORCE_HTTP_2);
        assertThat(h2.h2MaxConnections()).isEqualTo(2);
        assertThat(h2.h2MaxConcurrentStreams()).isEqualTo(500);

        InvalidConfigurationException e = catchThrowableOfType(
                InvalidConfigurationException.class,
                () -> KochavaClientConfig.from(Map.of(
                        "delivery.http.version-policy", "h2c",
                        "delivery.h2.max-connections", "0",
                        "delivery.h2.max-concurrent-streams", "0")));
        assertThat(e.problems())
                .extracting(ConfigProblem::key)
                .containsExactly(
                        "delivery.http.version-policy",
                        "delivery.h2.max-connections",
                        "delivery.h2.max-concurrent-streams");
    }

    @Test
    void readsTheSafetyKeys() {
        KochavaClientConfig config = KochavaClientConfig.from(Map.of(
                "kochava.ping.allowed-hosts", "localhost, *.Partner.Example.",
                "kochava.allow-private-addresses", "true",
                "delivery.ping.max-connections", "3",
                "delivery.ping.max-in-flight", "5"));
        assertThat(config.pingAllowedHosts().rules()).containsExactly("localhost", "*.partner.example");
        assertThat(config.allowPrivateAddresses()).isTrue();
        assertThat(config.pingMaxConnections()).isEqualTo(3);
        assertThat(config.pingMaxInFlight()).isEqualTo(5);
        InvalidConfigurationException e = catchThrowableOfType(
                InvalidConfigurationException.class,
                () -> KochavaClientConfig.from(Map.of(
                        "kochava.ping.allowed-hosts",
                        "*.kochava.com,127.0.0.1",
                        "kochava.allow-private-addresses",
                        "yes",
                        "delivery.ping.max-in-flight",
                        "0")));
        assertThat(e.problems())
                .extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder(
                        "kochava.ping.allowed-hosts", "kochava.allow-private-addresses", "delivery.ping.max-in-flight");
    }

    @Test
    void readsStringsNumbersAndBooleans() {
        KochavaClientConfig config = KochavaClientConfig.from(Map.of(
                "kochava.endpoint", "http://localhost:8080/track/json",
                "kochava.body-mode", "ARRAY",
                "kochava.ping.fb-user-id-param", "psid",
                "kochava.identity-link.forward", true,
                "kochava.identity-link.default-app-id", " kobot-app ",
                "delivery.request-timeout", 2500,
                "delivery.max-in-flight", " 8 ",
                "delivery.rate-limit.per-app", "0.5",
                "delivery.max-retry-time", "0",
                "delivery.batch.max-events", "ignored: another component's key"));

        assertThat(config.endpoint()).isEqualTo(URI.create("http://localhost:8080/track/json"));
        assertThat(config.bodyMode()).isEqualTo(BodyMode.ARRAY);
        assertThat(config.fbUserIdParam()).isEqualTo("psid");
        assertThat(config.forwardIdentityLinks()).isTrue();
        assertThat(config.identityLinkDefaultAppId()).isEqualTo("kobot-app");
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.maxInFlight()).isEqualTo(8);
        assertThat(config.rateLimitPerApp()).isEqualTo(0.5);
        assertThat(config.maxRetryTime()).isZero();
    }

    @Test
    void blankTakesTheDefault() {
        assertThat(KochavaClientConfig.from(Map.of("delivery.max-connections", " "))
                        .maxConnections())
                .isEqualTo(256);
    }

    @Test
    void reportsEveryErrorAtOnce() {
        InvalidConfigurationException e = catchThrowableOfType(
                InvalidConfigurationException.class,
                () -> KochavaClientConfig.from(Map.of(
                        "kochava.endpoint", "control.kochava.com/track/json",
                        "kochava.body-mode", "batch",
                        "kochava.identity-link.forward", "yes",
                        "delivery.request-timeout", "10 seconds",
                        "delivery.max-connections", "0",
                        "delivery.max-in-flight", "99999999999",
                        "delivery.retry.initial-backoff", "1000",
                        "delivery.retry.max-backoff", "500",
                        "delivery.rate-limit.per-app", "-1")));

        assertThat(e.problems())
                .extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder(
                        "kochava.endpoint",
                        "kochava.body-mode",
                        "kochava.identity-link.forward",
                        "delivery.request-timeout",
                        "delivery.max-connections",
                        "delivery.max-in-flight",
                        "delivery.retry.max-backoff",
                        "delivery.rate-limit.per-app");
        assertThat(e.getMessage()).contains("delivery.max-connections: must be at least 1, got 0");
    }

    @Test
    void durationsTakeIsoOrAUnitAndPlainNumbersStayMilliseconds() {
        KochavaClientConfig config = KochavaClientConfig.from(Map.of(
                "delivery.request-timeout", "PT2.5S",
                "delivery.connect-timeout", "750ms",
                "delivery.max-retry-time", "5m",
                "delivery.retry.initial-backoff", 100,
                "delivery.retry.max-backoff", "20s"));

        assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(config.maxRetryTime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.initialBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.maxBackoff()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void theCrossFieldRuleIsReportedBesideOtherProblems() {
        InvalidConfigurationException e = catchThrowableOfType(
                InvalidConfigurationException.class,
                () -> KochavaClientConfig.from(Map.of(
                        "kochava.endpoint", "nowhere",
                        "delivery.retry.initial-backoff", "PT5S",
                        "delivery.retry.max-backoff", "PT1S")));

        assertThat(e.problems())
                .containsExactly(
                        new ConfigProblem("kochava.endpoint", "must be an absolute http or https URL"),
                        new ConfigProblem(
                                "delivery.retry.max-backoff",
                                "must be at least delivery.retry.initial-backoff (PT5S)"));
    }

    @Test
    void forwardingIdentityLinksNeedsADefaultAppAndTheDocumentedEndpointIsTheDefault() {
        InvalidConfigurationException e = catchThrowableOfType(
                InvalidConfigurationException.class,
                () -> KochavaClientConfig.from(Map.of(
                        "kochava.identity-link.forward", "true",
                        "kochava.identity-link.default-app-id", " ",
                        "kochava.identity-link.endpoint", "control.kochava.com/v1/cpi/identityLink.php")));

        assertThat(e.problems())
                .extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder("kochava.identity-link.default-app-id", "kochava.identity-link.endpoint");
        KochavaClientConfig defaults = KochavaClientConfig.defaults();
        assertThat(defaults.identityLinkEndpoint())
                .isEqualTo(URI.create("https://control.kochava.com/v1/cpi/identityLink.php"));
        assertThat(defaults.identityLinkDefaultAppId()).isNull();
        assertThat(defaults.forwardIdentityLinks()).isFalse();
    }

    @Test
    void everyKeyIsDeclaredOnceWithItsDocumentation() {
        assertThat(KochavaClientConfig.CONFIG_DEF.names())
                .containsExactly(
                        "kochava.endpoint",
                        "kochava.body-mode",
                        "kochava.ping.fb-user-id-param",
                        "kochava.identity-link.forward",
                        "kochava.identity-link.endpoint",
                        "kochava.identity-link.default-app-id",
                        "kochava.ping.allowed-hosts",
                        "kochava.allow-private-addresses",
                        "delivery.request-timeout",
                        "delivery.connect-timeout",
                        "delivery.max-connections",
                        "delivery.max-in-flight",
                        "delivery.ping.max-connections",
                        "delivery.ping.max-in-flight",
                        "delivery.max-retry-time",
                        "delivery.retry.initial-backoff",
                        "delivery.retry.max-backoff",
                        "delivery.rate-limit.per-app",
                        "delivery.http.version-policy",
                        "delivery.h2.max-connections",
                        "delivery.h2.max-concurrent-streams",
                        "delivery.io-threads",
                        "delivery.max-opening-connections");
        assertThat(KochavaClientConfig.CONFIG_DEF.configKeys().values()).allSatisfy(key -> {
            assertThat(key.documentation).as(key.name).isNotBlank();
            assertThat(key.type).as(key.name).isNotEqualTo(ConfigDef.Type.PASSWORD);
        });
    }
}
