package io.kobot.streams.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.list;

import io.kobot.config.ConfigProblem;
import io.kobot.config.InvalidConfigurationException;
import io.kobot.streams.topology.TopicNames;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KochavaDeliveryTest {

    @Test
    void reportsTheClientsAndTheSinksErrorsTogether() {
        assertThatThrownBy(() -> KochavaDelivery.create(
                        TopicNames.DEFAULTS,
                        Map.of("kochava.endpoint", "ftp://nowhere", DeliverySettings.BATCH_LINGER, "-1")))
                .isInstanceOf(InvalidConfigurationException.class)
                .extracting(e -> ((InvalidConfigurationException) e).problems(), list(ConfigProblem.class))
                .extracting(ConfigProblem::key)
                .containsExactly("kochava.endpoint", DeliverySettings.BATCH_LINGER);
    }

    @Test
    void sharesItsStatisticsWithTheSink() {
        try (KochavaDelivery delivery = KochavaDelivery.create(TopicNames.DEFAULTS, Map.of())) {
            assertThat(delivery.sink().statistics()).isSameAs(delivery.statistics());
        }
    }
}
