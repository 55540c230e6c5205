package io.kobot.streams.app;

import io.kobot.kochava.Pii;
import io.kobot.streams.config.PipelineConfig;
import io.kobot.streams.deliver.KochavaDelivery;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.streams.observability.DeliveryMeterBinder;
import io.kobot.streams.observability.ObservabilityServer;
import io.kobot.streams.observability.PipelineMeterBinder;
import io.kobot.streams.observability.SinkWritability;
import io.kobot.streams.observability.StateStoreTags;
import io.kobot.streams.observability.StreamsHealth;
import io.kobot.streams.observability.TransactionCounts;
import io.kobot.streams.topology.EngagementSink;
import io.kobot.streams.topology.PipelineSerdes;
import io.kobot.streams.topology.PipelineTopology;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running pipeline: the Kafka Streams instance with its topology, its metrics and its HTTP endpoints, and the
 * one schema registry client all its serdes share. Shared by {@code run} and {@code demo}; the process lifecycle
 * (signals, exit codes) is the caller's.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
    /**
     * How soon the metrics Kafka Streams creates after start (a task's state stores, once it is assigned) reach
     * /metrics: Micrometer's binder looks for new ones at this interval (its default is a minute).
     */
    static final Duration KAFKA_METRICS_REFRESH_INTERVAL = Duration.ofSeconds(10);

    /** How often readiness checks that the sinks can write, and how long a producer error keeps it false. */
    private static final Duration SINK_CHECK_INTERVAL = Duration.ofSeconds(5);

    private static final Duration SINK_ERROR_HOLD = Duration.ofSeconds(30);

    private final PipelineConfig config;
    private final PipelineMetrics metrics = new PipelineMetrics();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final StreamsHealth health = new StreamsHealth();
    private final TransactionCounts transactions = new TransactionCounts();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Optional<KochavaDelivery> delivery;
    private final PipelineSerdes serdes;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final ScheduledExecutorService kafkaMetricsRefresh = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "kobot-kafka-metrics-refresh");
        thread.setDaemon(true);
        return thread;
    });
    private final PipelineMeterBinder pipelineMeters;
    private ObservabilityServer server;
    private SinkWritability sinkWritability;
    private Boolean closedCleanly;

    /**
     * @param topics what the start-up checks found ({@link TopicPreflight#run()})
     */
    public Pipeline(PipelineConfig config, TopicPreflight.Result topics) {
        this.config = config;
        Pii.useKey(config.piiMaskKey());
        this.delivery = EngagementSinks.deliveryFor(config);
        EngagementSink sink =
                delivery.<EngagementSink>map(KochavaDelivery::sink).orElse(EngagementSink.NONE);
        this.serdes = new PipelineSerdes(config.schemaRegistryConfig());
        try {
            Topology topology = new PipelineTopology(
                            config.topologySettings(topics.sourcePartitions(), topics.previousDedupStore()),
                            serdes,
                            metrics,
                            sink)
                    .build();
            this.streams = new KafkaStreams(
                    topology, StreamsProperties.streams(config, metrics, serdes), transactions.clientSupplier());
        } catch (RuntimeException e) {
            serdes.close();
            delivery.ifPresent(KochavaDelivery::close);
            throw e;
        }
        streams.setUncaughtExceptionHandler(new ThreadReplacementPolicy(
                config.maxThreadReplacements(), config.threadReplacementWindow(), Time.SYSTEM));
        streams.setStateListener((newState, oldState) -> {
            health.onChange(newState, oldState);
            log.info("Kafka Streams state {} -> {}", oldState, newState);
            if (newState == KafkaStreams.State.NOT_RUNNING || newState == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        registry.config().meterFilter(new StateStoreTags());
        this.streamsMetrics =
                new KafkaStreamsMetrics(streams, List.of(), kafkaMetricsRefresh, KAFKA_METRICS_REFRESH_INTERVAL);
        streamsMetrics.bindTo(registry);
        this.pipelineMeters = new PipelineMeterBinder(
                metrics,
                registry,
                List.of(config.topicNames().interactions(), config.topicNames().identityLinks()));
        transactions.bindTo(registry);
        delivery.ifPresent(d -> new DeliveryMeterBinder(d.statistics(), d::connections).bindTo(registry));
    }

    /** Serves the HTTP endpoints (unless {@code http.port=0}) and starts Kafka Streams. */
    public synchronized void start() throws IOException {
        if (closedCleanly != null) {
            return; // stopped before it started (a SIGTERM during start-up): nothing to start
        }
        if (config.httpPort() != 0) {
            server = ObservabilityServer.start(config.httpPort(), registry, health, pipelineMeters::bindNew);
            log.info("Serving /metrics, /health/live and /health/ready on port {}", server.port());
        }
        log.info(
                "Starting pipeline {} (delivery.mode={}, processing.guarantee={})",
                config.applicationId(),
                config.deliveryMode().configName(),
                config.processingGuarantee());
        streams.start();
        sinkWritability = new SinkWritability(
                Admin.create(StreamsProperties.admin(config)),
                TopicPreflight.topicsWritten(config),
                streams::metrics,
                health,
                SINK_CHECK_INTERVAL,
                SINK_ERROR_HOLD);
        sinkWritability.start();
    }

    public PipelineMetrics metrics() {
        return metrics;
    }

    public StreamsHealth health() {
        return health;
    }

    /** Whether engagements are delivered to Kochava by this pipeline. */
    public boolean delivers() {
        return delivery.isPresent();
    }

    /** What delivery did, when this pipeline delivers. */
    public Optional<io.kobot.streams.deliver.DeliveryStatistics> deliveryStatistics() {
        return delivery.map(KochavaDelivery::statistics);
    }

    /** Blocks until Kafka Streams has stopped, by failure or by {@link #stop()}. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops within {@code shutdown.timeout}: quiesces delivery (see {@link KochavaDelivery#quiesce}) in at most half
     * of it, closes Kafka Streams in the rest, then the Kochava client, the schema registry client and the HTTP
     * server. Idempotent.
     *
     * @return whether Streams closed in time and had not failed
     */
    public synchronized boolean stop() {
        if (closedCleanly == null) {
            Duration timeout = config.shutdownTimeout();
            long deadline = System.nanoTime() + timeout.toNanos();
            quiesceDelivery(timeout.dividedBy(2));
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            boolean closedInTime = streams.close(left);
            if (!closedInTime) {
                log.error("Kafka Streams did not close within shutdown.timeout={}", timeout);
            }
            delivery.ifPresent(KochavaDelivery::close);
            // After Kafka Streams: its threads use the serdes until they stop.
            serdes.close();
            streamsMetrics.close();
            kafkaMetricsRefresh.shutdownNow();
            if (sinkWritability != null) {
                sinkWritability.close();
            }
            if (server != null) {
                server.close();
            }
            registry.close();
            closedCleanly = closedInTime && !health.failed();
            log.info(
                    "Pipeline closed {}; transactions since start: {} committed, {} aborted",
                    closedCleanly ? "cleanly" : "after a failure",
                    transactions.committed(),
                    transactions.aborted());
        }
        return closedCleanly;
    }

    /**
     * Before Streams closes: delivery stops sending, lets requests in flight end and has their outcomes written
     * by the still running stream threads, so that Streams' clean close commits them and a restart does not send
     * them again. Skipped when Streams is not running (it could not write them).
     */
    private void quiesceDelivery(Duration limit) {
        if (delivery.isEmpty() || !streams.state().isRunningOrRebalancing()) {
            return;
        }
        try {
            delivery.get().quiesce(limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
