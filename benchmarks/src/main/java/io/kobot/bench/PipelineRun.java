package io.kobot.bench;

import io.kobot.streams.deadletter.DeadLetterHandlers;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.streams.topology.EngagementSink;
import io.kobot.streams.topology.PipelineTopology;
import io.kobot.streams.topology.TopicNames;
import io.kobot.streams.topology.TopologySettings;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The pipeline's topology on Kafka Streams with exactly_once_v2, configured as the application runs it. */
final class PipelineRun implements AutoCloseable {
    private final KafkaStreams streams;

    private PipelineRun(KafkaStreams streams) {
        this.streams = streams;
    }

    /**
     * Starts the application and returns once it is RUNNING and has taken in the {@code links} identity links
     * published before: a running pipeline has its IdentityLink table built long before the traffic measured.
     */
    static PipelineRun start(String bootstrapServers, String applicationId, TopicNames topics, EngagementSink sink,
                             Path stateDir, int threads, int links) throws InterruptedException {
        PipelineMetrics metrics = new PipelineMetrics();
        KafkaStreams streams = new KafkaStreams(new PipelineTopology(TopologySettings.DEFAULTS.withTopics(topics),
                RecordEncoder.REGISTRY, metrics, sink).build(),
                properties(bootstrapServers, applicationId, topics, stateDir, threads, metrics));
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
            throw new IllegalStateException(applicationId + " did not start and take in the identity links in 120 s");
        }
        return new PipelineRun(streams);
    }

    /** Stops processing (the consumers keep polling), so that a backlog can build up before a measurement. */
    void pause() {
        streams.pause();
    }

    void resume() {
        streams.resume();
    }

    private static Properties properties(String bootstrapServers, String applicationId, TopicNames topics,
                                         Path stateDir, int threads, PipelineMetrics metrics) {
        Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.putAll(RecordEncoder.REGISTRY);
        props.putAll(DeadLetterHandlers.streamsConfig(topics.deadLetters(), metrics));
        return props;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(60));
    }
}
