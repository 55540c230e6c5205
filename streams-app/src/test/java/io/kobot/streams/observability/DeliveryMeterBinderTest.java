package io.kobot.streams.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.kochava.ConnectionCounts;
import io.kobot.kochava.KochavaRequest;
import io.kobot.streams.deliver.DeliveryStatistics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryMeterBinderTest {
    @Test
    void theClientsConnectionsAreExportedByPoolAndStateAsTheyAreWhenScraped() {
        Map<KochavaRequest.Kind, ConnectionCounts> now = new EnumMap<>(KochavaRequest.Kind.class);
        now.put(KochavaRequest.Kind.EVENT, new ConnectionCounts(0, 0, 0, 0));
        now.put(KochavaRequest.Kind.PING, new ConnectionCounts(0, 0, 0, 0));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new DeliveryMeterBinder(new DeliveryStatistics(), now::get).bindTo(registry);

        now.put(KochavaRequest.Kind.EVENT, new ConnectionCounts(7, 3, 2, 5));
        now.put(KochavaRequest.Kind.PING, new ConnectionCounts(1, 4, 0, 0));

        assertThat(registry.scrape())
                .contains(
                        "kobot_delivery_connections{pool=\"posts\",state=\"leased\"} 7.0",
                        "kobot_delivery_connections{pool=\"posts\",state=\"available\"} 3.0",
                        "kobot_delivery_connections{pool=\"posts\",state=\"opening\"} 2.0",
                        "kobot_delivery_connections{pool=\"posts\",state=\"waiting_to_open\"} 5.0",
                        "kobot_delivery_connections{pool=\"pings\",state=\"leased\"} 1.0",
                        "kobot_delivery_connections{pool=\"pings\",state=\"available\"} 4.0",
                        "kobot_delivery_connections{pool=\"pings\",state=\"waiting_to_open\"} 0.0");
    }
}
