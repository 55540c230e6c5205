package io.kobot.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kobot.devstack.kochava.StandInOptions;
import io.kobot.kochava.KochavaClientConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScenarioTest {

    @Test
    void http2ScenarioCarriesItsInFlightRequestsOnStreamsWithoutQueueing() {
        Scenario scenario = Scenario.named("rtt50-h2-tls");
        KochavaClientConfig client = client(scenario);

        assertThat(scenario.tls()).isTrue();
        assertThat(scenario.http()).isEqualTo(StandInOptions.Http.H2);
        assertThat(scenario.latencyMs()).isEqualTo(50);
        int streams = client.h2MaxConnections() * client.h2MaxConcurrentStreams();
        assertThat(client.maxInFlight()).isLessThanOrEqualTo(streams);
        assertThat(client.pingMaxInFlight()).isLessThanOrEqualTo(streams);
        // The 20,000 records/s at 50 ms: 70 % events and 30 % pings in flight for one round trip.
        assertThat(client.maxInFlight()).isGreaterThanOrEqualTo((int) (20_000 * 0.7 * 0.05));
        assertThat(client.pingMaxInFlight()).isGreaterThanOrEqualTo((int) (20_000 * 0.3 * 0.05));
    }

    @Test
    void http1ScenarioHasAConnectionForEveryRequestInFlight() {
        Scenario scenario = Scenario.named("rtt50-h1");
        KochavaClientConfig client = client(scenario);

        assertThat(scenario.http()).isEqualTo(StandInOptions.Http.HTTP1);
        assertThat(scenario.tls()).isFalse();
        assertThat(client.maxConnections()).isEqualTo(1024);
        assertThat(client.maxInFlight()).isEqualTo(client.maxConnections());
        assertThat(client.pingMaxInFlight()).isEqualTo(client.pingMaxConnections());
    }

    @Test
    void loopbackKeepsTheApplicationsDefaults() {
        assertThat(Scenario.named("loopback").delivery()).isEmpty();
        assertThat(Scenario.named("loopback").latencyMs()).isZero();
    }

    @Test
    void anUnknownScenarioNamesTheKnownOnes() {
        assertThatThrownBy(() -> Scenario.named("rtt20"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback, rtt50-h1, rtt50-h2-tls");
    }

    private static KochavaClientConfig client(Scenario scenario) {
        Map<String, String> config = new HashMap<>(scenario.delivery());
        config.put(KochavaClientConfig.ENDPOINT, "https://localhost:8443/track/json");
        return KochavaClientConfig.from(config);
    }
}
