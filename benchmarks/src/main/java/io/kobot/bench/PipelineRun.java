package io.kobot.bench;

import io.kobot.devstack.kochava.KochavaStandIn;
import io.kobot.kochava.KochavaClientConfig;
import io.kobot.streams.app.StreamsProperties;
import io.kobot.streams.app.TopicPreflight;
import io.kobot.streams.config.ConfigKeys;
import io.kobot.streams.config.PipelineConfig;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.streams.topology.EngagementSink;
import io.kobot.streams.topology.PipelineSerdes;
import io.kobot.streams.topology.PipelineTopology;
import io.kobot.streams.topology.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/** The pipeline's topology on Kafka Streams with exactly_once_v2, configured as the application runs it. */
final class PipelineRun implements AutoCloseable {
    private final KafkaStreams streams;
    private final PipelineSerdes serdes;
    private final String applicationId;

    private PipelineRun(KafkaStreams streams, PipelineSerdes serdes, String applicationId) {
        this.streams = streams;
        this.serdes = serdes;
        this.applicationId = applicationId;
    }

    /**
     * Starts the application and returns once it is RUNNING and has taken in the {@code links} identity links
     * published before: a running pipeline has its IdentityLink table built long before the traffic measured.
     */
    static PipelineRun start(
            String bootstrapServers,
            String applicationId,
            TopicNames topics,
            EngagementSink sink,
            Path stateDir,
            int threads,
            int links)
            throws InterruptedException {
        PipelineMetrics metrics = new PipelineMetrics();
        PipelineConfig config = config(bootstrapServers, applicationId, topics, stateDir, threads);
        TopicPreflight.Result checked = new TopicPreflight(config).run();
        PipelineSerdes serdes = new PipelineSerdes(config.schemaRegistryConfig());
        KafkaStreams streams = new KafkaStreams(
                new PipelineTopology(
                                config.topologySettings(checked.sourcePartitions(), checked.previousDedupStore()),
                                serdes,
                                metrics,
                                sink)
                        .build(),
                StreamsProperties.streams(config, metrics, serdes));
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((newState, oldState) -> {
            if (newState == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        boolean ready = running.await(120, TimeUnit.SECONDS);
        while (ready && metrics.count(PipelineMetrics.LINK_UPDATES) < links) {
            ready = System.nanoTime() < deadline;
            Thread.sleep(20);
        }
        if (!ready) {
            streams.close(Duration.ofSeconds(30));
            serdes.close();
            throw new IllegalStateException(applicationId + " did not start and take in the identity links in 120 s");
        }
        return new PipelineRun(streams, serdes, applicationId);
    }

    /** Stops processing (the consumers keep polling), so that a backlog can build up before a measurement. */
    void pause() {
        streams.pause();
    }

    void resume() {
        streams.resume();
    }

    /** What the application's producers have written so far. */
    ProducedBytes producedBytes() {
        return ProducedBytes.of(streams, applicationId);
    }

    /**
     * The pipeline configuration that the run's topology settings and Streams properties are derived from, as the
     * application derives them ({@link StreamsProperties#streams} is the application's own). It differs from the
     * defaults only where the benchmark must: broker, application id, topics, state directory, threads, the
     * in-memory registry and a replication factor of 1 for internal topics on a one-broker cluster; plus, for
     * A/B runs only, any {@code --streams-set} setting.
     */
    private static PipelineConfig config(
            String bootstrapServers, String applicationId, TopicNames topics, Path stateDir, int threads) {
        Map<String, String> raw = new HashMap<>();
        raw.put(ConfigKeys.BOOTSTRAP_SERVERS, bootstrapServers);
        raw.put(ConfigKeys.APPLICATION_ID, applicationId);
        raw.put(ConfigKeys.STATE_DIR, stateDir.toString());
        raw.put(ConfigKeys.NUM_STREAM_THREADS, Integer.toString(threads));
        raw.put(ConfigKeys.PROCESSING_GUARANTEE, StreamsConfig.EXACTLY_ONCE_V2);
        raw.put(ConfigKeys.SCHEMA_REGISTRY_URL, (String) BenchSample.REGISTRY.get("schema.registry.url"));
        raw.put(ConfigKeys.TOPIC_INTERACTIONS, topics.interactions());
        raw.put(ConfigKeys.TOPIC_IDENTITY_LINKS, topics.identityLinks());
        raw.put(ConfigKeys.TOPIC_ENGAGEMENTS, topics.engagements());
        raw.put(ConfigKeys.TOPIC_DELIVERIES, topics.deliveries());
        raw.put(ConfigKeys.TOPIC_DEAD_LETTERS, topics.deadLetters());
        raw.put(ConfigKeys.KAFKA_PREFIX + StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
        // Tracking URLs name the loopback receiver: allowed at ingest explicitly.
        raw.put(KochavaClientConfig.PING_ALLOWED_HOSTS, KochavaStandIn.HOST);
        // A key of the pipeline's own (partitioning.rekey) as it is; any other is a Kafka Streams setting.
        EXTRA.forEach((key, value) ->
                raw.put(ConfigKeys.CONFIG_DEF.names().contains(key) ? key : ConfigKeys.KAFKA_PREFIX + key, value));
        return PipelineConfig.from(raw);
    }

    /** Extra settings for A/B runs ({@code --streams-set key=value}): pipeline keys, or {@code kafka.} pass-through. */
    static final Map<String, String> EXTRA = new LinkedHashMap<>();

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(60));
        serdes.close();
    }
}
