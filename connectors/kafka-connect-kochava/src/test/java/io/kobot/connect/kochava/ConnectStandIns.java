package io.kobot.connect.kochava;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * What the Connect ITs run the sink on: WireMock as Kochava, and a one-worker embedded Connect cluster (with its own
 * Kafka) that finds plugins by their service manifests, as a worker with the packaged plugin does.
 */
final class ConnectStandIns implements AutoCloseable {
    final WireMockServer kochava = new WireMockServer(wireMockConfig().dynamicPort());
    final EmbeddedConnectCluster connect;

    /** Starts both; the worker commits offsets every {@code offsetFlushInterval}. */
    ConnectStandIns(String clusterName, Duration offsetFlushInterval) {
        kochava.start();
        connect = new EmbeddedConnectCluster.Builder()
                .name(clusterName)
                .numWorkers(1)
                .workerProps(new HashMap<>(Map.of(
                        "offset.flush.interval.ms",
                        Long.toString(offsetFlushInterval.toMillis()),
                        "plugin.discovery",
                        "service_load")))
                .build();
        try {
            connect.start();
        } catch (RuntimeException e) {
            kochava.stop();
            throw e;
        }
    }

    @Override
    public void close() {
        connect.stop();
        kochava.stop();
    }
}
