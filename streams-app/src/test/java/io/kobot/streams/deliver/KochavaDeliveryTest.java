package io.kobot.streams.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.list;

import io.kobot.kochava.ConfigError;
import io.kobot.kochava.InvalidConfigException;
import io.kobot.streams.topology.TopicNames;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KochavaDeliveryTest {
    private static final Map<String, Object> REGISTRY = Map.of("schema.registry.url", "mock://kochava-delivery-test");

    @Test
    void reportsTheClientsAndTheSinksErrorsTogether() {
        assertThatThrownBy(() -> KochavaDelivery.create(
                        TopicNames.DEFAULTS,
                        REGISTRY,
                        Map.of("kochava.endpoint", "ftp://nowhere", DeliverySettings.BATCH_LINGER, "-1")))
                .isInstanceOf(InvalidConfigException.class)
                .extracting(e -> ((InvalidConfigException) e).errors(), list(ConfigError.class))
                .extracting(ConfigError::key)
                .containsExactly("kochava.endpoint", DeliverySettings.BATCH_LINGER);
    }

    @Test
    void sharesItsStatisticsWithTheSink() {
        try (KochavaDelivery delivery = KochavaDelivery.create(TopicNames.DEFAULTS, REGISTRY, Map.of())) {
            assertThat(delivery.sink().statistics()).isSameAs(delivery.statistics());
        }
    }
}
