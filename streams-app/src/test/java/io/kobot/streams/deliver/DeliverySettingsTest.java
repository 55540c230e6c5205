package io.kobot.streams.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.list;

import io.kobot.config.ConfigProblem;
import io.kobot.config.InvalidConfigurationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliverySettingsTest {
    @Test
    void defaults() {
        DeliverySettings settings = DeliverySettings.from(Map.of("kochava.endpoint", "ignored here"));

        assertThat(settings).isEqualTo(DeliverySettings.DEFAULTS);
        assertThat(settings.batchMaxEvents()).isEqualTo(500);
        assertThat(settings.batchMaxBytes()).isEqualTo(1024 * 1024);
        assertThat(settings.batchLinger()).isEqualTo(Duration.ofMillis(50));
        assertThat(settings.maxPending()).isEqualTo(10_000);
        assertThat(settings.outboxMaxSize()).isEqualTo(1_000_000);
        assertThat(settings.backpressureMaxBlock()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.drainTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.audit()).isEqualTo(AuditScope.ALL);
    }

    @Test
    void auditTakesAllFailuresOrOff() {
        assertThat(DeliverySettings.from(Map.of(DeliverySettings.AUDIT, "failures"))
                        .audit())
                .isEqualTo(AuditScope.FAILURES);
        assertThat(DeliverySettings.from(Map.of(DeliverySettings.AUDIT, "off")).audit())
                .isEqualTo(AuditScope.OFF);
        assertThatThrownBy(() -> DeliverySettings.from(Map.of(DeliverySettings.AUDIT, "some")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(DeliverySettings.AUDIT);
    }

    @Test
    void readsStringsAndNumbers() {
        DeliverySettings settings = DeliverySettings.from(Map.of(
                DeliverySettings.BATCH_MAX_EVENTS,
                " 20 ",
                DeliverySettings.BATCH_LINGER,
                5,
                DeliverySettings.DRAIN_TIMEOUT,
                "0"));

        assertThat(settings.batchMaxEvents()).isEqualTo(20);
        assertThat(settings.batchLinger()).isEqualTo(Duration.ofMillis(5));
        assertThat(settings.drainTimeout()).isZero();
    }

    @Test
    void reportsEveryErrorAtOnce() {
        assertThatThrownBy(() -> DeliverySettings.from(Map.of(
                        DeliverySettings.BATCH_MAX_EVENTS,
                        "0",
                        DeliverySettings.BATCH_LINGER,
                        "soon",
                        DeliverySettings.OUTBOX_MAX_SIZE,
                        -1)))
                .isInstanceOf(InvalidConfigurationException.class)
                .extracting(e -> ((InvalidConfigurationException) e).problems(), list(ConfigProblem.class))
                .extracting(ConfigProblem::key)
                .containsExactly(
                        DeliverySettings.BATCH_MAX_EVENTS,
                        DeliverySettings.BATCH_LINGER,
                        DeliverySettings.OUTBOX_MAX_SIZE);
    }

    @Test
    void maxPendingMustHoldAFullBatch() {
        assertThatThrownBy(() -> DeliverySettings.from(
                        Map.of(DeliverySettings.BATCH_MAX_EVENTS, 100, DeliverySettings.MAX_PENDING, 10)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(DeliverySettings.MAX_PENDING);
    }

    @Test
    void documentsEveryKeyWithItsDefault() {
        assertThat(DeliverySettings.CONFIG_DEF.names())
                .containsExactly(
                        DeliverySettings.BATCH_MAX_EVENTS,
                        DeliverySettings.BATCH_MAX_BYTES,
                        DeliverySettings.BATCH_LINGER,
                        DeliverySettings.MAX_PENDING,
                        DeliverySettings.MAX_PENDING_BYTES,
                        DeliverySettings.OUTBOX_MAX_SIZE,
                        DeliverySettings.BACKPRESSURE_MAX_BLOCK,
                        DeliverySettings.DRAIN_TIMEOUT,
                        DeliverySettings.AUDIT);
        assertThat(DeliverySettings.CONFIG_DEF.configKeys().values())
                .allSatisfy(key -> assertThat(key.documentation).isNotBlank());
    }

    @Test
    void durationsTakeIsoOrAUnitAndPlainNumbersStayMilliseconds() {
        DeliverySettings settings = DeliverySettings.from(Map.of(
                DeliverySettings.BATCH_LINGER,
                "PT0.02S",
                DeliverySettings.BACKPRESSURE_MAX_BLOCK,
                "2s",
                DeliverySettings.DRAIN_TIMEOUT,
                "1500"));

        assertThat(settings.batchLinger()).isEqualTo(Duration.ofMillis(20));
        assertThat(settings.backpressureMaxBlock()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.drainTimeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void theCrossFieldRuleIsReportedBesideOtherProblems() {
        assertThatThrownBy(() -> DeliverySettings.from(Map.of(
                        DeliverySettings.BATCH_MAX_EVENTS,
                        100,
                        DeliverySettings.MAX_PENDING,
                        10,
                        DeliverySettings.DRAIN_TIMEOUT,
                        "later")))
                .isInstanceOf(InvalidConfigurationException.class)
                .extracting(e -> ((InvalidConfigurationException) e).problems(), list(ConfigProblem.class))
                .extracting(ConfigProblem::key)
                .containsExactly(DeliverySettings.DRAIN_TIMEOUT, DeliverySettings.MAX_PENDING);
    }
}
