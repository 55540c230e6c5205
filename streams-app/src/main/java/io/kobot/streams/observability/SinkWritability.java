package io.kobot.streams.observability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the job's sinks can write, for readiness: a Streams instance can be RUNNING while every record it
 * produces waits for a topic that does not exist (each send blocks for {@code max.block.ms}, then the thread dies
 * and is replaced, for minutes). Two signals, checked every {@code interval} on a thread of its own:
 * <ul>
 *   <li>every topic the job writes exists (an admin describe; catches a missing or deleted output at once);</li>
 *   <li>the producers' {@code record-error-total} did not grow within the last {@code errorHold} (catches what a
 *       describe cannot: authorization, record size, and sends that timed out).</li>
 * </ul>
 * The result goes to {@link StreamsHealth#sinksWritable()} / {@link StreamsHealth#sinksBlocked(String)}.
 */
public final class SinkWritability implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SinkWritability.class);
    static final String PRODUCER_GROUP = "producer-metrics";
    static final String RECORD_ERRORS = "record-error-total";

    private final Admin admin;
    private final List<String> topics;
    private final Supplier<Map<MetricName, ? extends Metric>> metrics;
    private final StreamsHealth health;
    private final Duration interval;
    private final Duration errorHold;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "kobot-sink-check");
        thread.setDaemon(true);
        return thread;
    });
    /** Last record-error-total seen per producer client id; a replaced thread's producer starts at 0. */
    private final Map<String, Double> errorTotals = new HashMap<>();

    private long lastErrorGrowthNanos;
    private boolean errorsSeen;

    public SinkWritability(
            Admin admin,
            List<String> topics,
            Supplier<Map<MetricName, ? extends Metric>> metrics,
            StreamsHealth health,
            Duration interval,
            Duration errorHold) {
        this.admin = admin;
        this.topics = List.copyOf(topics);
        this.metrics = metrics;
        this.health = health;
        this.interval = interval;
        this.errorHold = errorHold;
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::checkSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            log.debug("Sink check failed", e);
            health.sinksBlocked("cannot check the output topics: " + e.getMessage());
        }
    }

    /** One check; package-private for tests. */
    void check() {
        List<String> problems = new ArrayList<>();
        List<String> missing = missingTopics(problems);
        if (!missing.isEmpty()) {
            problems.add("output topic(s) missing: " + missing);
        }
        if (producerErrorsGrew()) {
            problems.add("the producers failed to write records within the last " + errorHold);
        }
        if (problems.isEmpty()) {
            if (health.sinksWritable()) {
                log.info("Output topics are writable again");
            }
        } else {
            String problem = String.join("; ", problems);
            if (health.sinksBlocked(problem)) {
                log.error("Not ready: {}", problem);
            }
        }
    }

    private List<String> missingTopics(List<String> problems) {
        List<String> missing = new ArrayList<>();
        admin.describeTopics(topics).topicNameValues().forEach((name, future) -> {
            try {
                future.get(interval.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    missing.add(name);
                } else {
                    problems.add("cannot describe " + name + ": " + e.getCause().getMessage());
                }
            } catch (TimeoutException e) {
                problems.add("no answer from the cluster about " + name + " within " + interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return missing;
    }

    private boolean producerErrorsGrew() {
        long now = System.nanoTime();
        metrics.get().forEach((name, metric) -> {
            if (PRODUCER_GROUP.equals(name.group())
                    && RECORD_ERRORS.equals(name.name())
                    && metric.metricValue() instanceof Double total) {
                String client = name.tags().getOrDefault("client-id", "");
                Double previous = errorTotals.put(client, total);
                if (total > (previous == null ? 0.0 : previous)) {
                    lastErrorGrowthNanos = now;
                    errorsSeen = true;
                }
            }
        });
        return errorsSeen && now - lastErrorGrowthNanos < errorHold.toNanos();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ZERO);
    }
}
