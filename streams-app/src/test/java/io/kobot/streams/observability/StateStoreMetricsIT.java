package io.kobot.streams.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams' RocksDB metrics of a key-value store and of a window store (the pipeline has both: the
 * identity-link table and the dedup store) reach the Prometheus scrape together once {@link StateStoreTags} maps
 * their tags, and only one of them does without it.
 */
@ExtendWith(RealInfrastructureExtension.class)
class StateStoreMetricsIT {
    private static final String METRIC = "kafka_stream_state_estimate_pending_compaction_bytes";

    @TempDir
    Path stateDir;

    @Test
    void rocksDbMetricsOfEveryStoreTypeAreScraped(KafkaBroker broker) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String table = "store-metrics-table-" + suffix;
        String stream = "store-metrics-stream-" + suffix;
        broker.createTopic(table, 1);
        broker.createTopic(stream, 1);

        StreamsBuilder builder = new StreamsBuilder();
        builder.table(table, Consumed.with(Serdes.String(), Serdes.String()), Materialized.as("links"));
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore("seen", Duration.ofHours(1), Duration.ofHours(1), false),
                Serdes.String(),
                Serdes.String()));
        builder.stream(stream, Consumed.with(Serdes.String(), Serdes.String())).process(Ignore::new, "seen");

        Properties props = new Properties();
        props.putAll(broker.clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "store-metrics-" + suffix);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);

        PrometheusMeterRegistry mapped = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        mapped.config().meterFilter(new StateStoreTags());
        PrometheusMeterRegistry unmapped = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props);
                KafkaStreamsMetrics mappedMetrics =
                        new KafkaStreamsMetrics(streams, List.of(), refresher, Duration.ofMillis(200));
                KafkaStreamsMetrics unmappedMetrics =
                        new KafkaStreamsMetrics(streams, List.of(), refresher, Duration.ofMillis(200))) {
            mappedMetrics.bindTo(mapped);
            unmappedMetrics.bindTo(unmapped);
            streams.start();

            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(metricLines(mapped.scrape()))
                            .anyMatch(line -> line.contains(",state_id=\"links\","))
                            .anyMatch(line -> line.contains(",state_id=\"seen\",")));

            // The same metrics, refreshed as often: without the mapping, one store type is refused for good.
            await().atMost(Duration.ofSeconds(10))
                    .during(Duration.ofSeconds(1))
                    .until(() -> metricLines(unmapped.scrape()).stream()
                                    .filter(line -> line.contains("rocksdb_state_id=\"links\"")
                                            || line.contains("rocksdb_window_state_id=\"seen\""))
                                    .count()
                            == 1);
        } finally {
            refresher.shutdownNow();
            mapped.close();
            unmapped.close();
        }
    }

    private static List<String> metricLines(String scrape) {
        return scrape.lines().filter(line -> line.startsWith(METRIC + "{")).toList();
    }

    /** Only makes the window store part of a task; the test is about its metrics, not its contents. */
    private static final class Ignore implements Processor<String, String, Void, Void> {
        @Override
        public void process(Record<String, String> record) {}
    }
}
