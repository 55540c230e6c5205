package io.kobot.demo;

import io.kobot.devstack.EmbeddedKafkaBroker;
import io.kobot.devstack.kochava.KochavaStandIn;
import io.kobot.devstack.kochava.ReceivedRequest;
import io.kobot.devstack.sample.Publisher;
import io.kobot.kochava.KochavaClientConfig;
import io.kobot.streams.app.Pipeline;
import io.kobot.streams.app.TopicPreflight;
import io.kobot.streams.config.ConfigKeys;
import io.kobot.streams.config.PipelineConfig;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.streams.topology.TopicNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One demo run: an in-process broker, the mock:// registry and a local Kochava receiver (unless an endpoint is
 * given), the topics, the sample, and the real pipeline (the same {@link Pipeline} as {@code run}) until all
 * expected output has arrived.
 */
final class DemoRun {
    private static final Duration PROGRESS_INTERVAL = Duration.ofMillis(250);
    /** The demo sample puts the interaction id in each ping URL and event_data as {@code ref}. */
    private static final Pattern REF = Pattern.compile("ref(?:=|\\\\?\"\\s*:\\s*\\\\?\")(demo-[0-9]+)");

    private final int records;
    private final Optional<URI> kochavaEndpoint;
    private final int httpPort;
    private final Duration timeout;

    DemoRun(int records, Optional<URI> kochavaEndpoint, int httpPort, Duration timeout) {
        this.records = records;
        this.kochavaEndpoint = kochavaEndpoint;
        this.httpPort = httpPort;
        this.timeout = timeout;
    }

    DemoReport run(PrintWriter out) throws Exception {
        long startMs = System.currentTimeMillis();
        Path stateDir = Files.createTempDirectory("kobot-demo-state");
        out.println("Starting an in-process Kafka broker"
                + (kochavaEndpoint.isEmpty() ? " and a local Kochava receiver…" : "…"));
        out.flush();
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start();
                KochavaStandIn receiver = kochavaEndpoint.isEmpty() ? KochavaStandIn.start() : null) {
            URI endpoint = kochavaEndpoint.orElseGet(receiver::endpoint);
            PipelineConfig config = PipelineConfig.from(demoConfig(kafka.bootstrapServers(), endpoint, stateDir));
            TopicNames topics = config.topicNames();
            TopicPreflight.Result checked = new TopicPreflight(config).run();

            DemoInput sample = DemoInput.generate(
                    topics, records, endpoint.resolve("/"), config.schemaRegistryConfig(), Instant.now());
            DemoInput.Expected expected = sample.expected();
            try (OutputWatcher watcher =
                            new OutputWatcher(kafka.bootstrapServers(), topics, config.schemaRegistryConfig());
                    Pipeline pipeline = new Pipeline(config, checked);
                    Publisher publisher = Publisher.to(kafka.bootstrapServers()).open()) {
                pipeline.start();
                // Links first, and processed, so that every interaction meets the links as they finally are.
                publisher.publish(topics.identityLinks(), sample.links());
                awaitLinks(pipeline, sample.links().size());
                publisher.publish(topics.interactions(), sample.interactions());
                out.printf(
                        "Published %d interactions (%d unique, %d duplicates, %d malformed) and %d identity "
                                + "link records%n",
                        expected.received(),
                        expected.engagements(),
                        expected.duplicates(),
                        expected.deadLetters(),
                        sample.links().size());
                out.flush();
                boolean complete = awaitOutput(out, pipeline, watcher, receiver, expected);
                long wallMillis = System.currentTimeMillis() - startMs;
                Map<String, Long> counters = pipeline.metrics().snapshot();
                boolean stopped = pipeline.stop();
                List<ReceivedRequest> requests = receiver == null ? List.of() : receiver.requests();
                return new DemoReport(
                        expected,
                        counters,
                        watcher.engagements(),
                        watcher.deadLettersByReason(),
                        pipeline.delivers(),
                        requests,
                        watcher.latenciesMillis(),
                        deliveryLatencies(requests, watcher),
                        wallMillis,
                        complete && stopped);
            }
        } finally {
            deleteRecursively(stateDir);
        }
    }

    private Map<String, String> demoConfig(String bootstrapServers, URI endpoint, Path stateDir) {
        Map<String, String> config = new HashMap<>();
        config.put(ConfigKeys.APPLICATION_ID, "kobot-demo");
        config.put(ConfigKeys.BOOTSTRAP_SERVERS, bootstrapServers);
        config.put(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://demo");
        config.put(ConfigKeys.TOPICS_CREATE, "true");
        config.put(ConfigKeys.TOPICS_PARTITIONS, "2");
        config.put(ConfigKeys.TOPICS_REPLICATION_FACTOR, "1");
        config.put(ConfigKeys.STATE_DIR, stateDir.toString());
        config.put(ConfigKeys.HTTP_PORT, Integer.toString(httpPort));
        config.put(ConfigKeys.SHUTDOWN_TIMEOUT, "PT10S");
        config.put("kochava.endpoint", endpoint.toString());
        // The demo's stand-in listens on loopback, and its tracking URLs name the endpoint's host: both allowed
        // explicitly here, as they never are by default.
        config.put(KochavaClientConfig.PING_ALLOWED_HOSTS, endpoint.getHost());
        config.put(KochavaClientConfig.ALLOW_PRIVATE_ADDRESSES, "true");
        return config;
    }

    private void awaitLinks(Pipeline pipeline, int links) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        PipelineMetrics metrics = pipeline.metrics();
        while (metrics.count(PipelineMetrics.LINK_UPDATES)
                        + metrics.count(PipelineMetrics.LINK_DELETES)
                        + metrics.count(PipelineMetrics.LINK_STALE_IGNORED)
                < links) {
            if (System.nanoTime() > deadline || pipeline.health().failed()) {
                throw new IllegalStateException("The pipeline did not take the identity links within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    private boolean awaitOutput(
            PrintWriter out,
            Pipeline pipeline,
            OutputWatcher watcher,
            KochavaStandIn receiver,
            DemoInput.Expected expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean awaitDelivery = pipeline.delivers() && receiver != null;
        while (true) {
            PipelineMetrics metrics = pipeline.metrics();
            int deliveries = receiver == null ? 0 : receiver.requests().size();
            out.printf(
                    "\r  %-14s received %d/%d · duplicates dropped %d/%d · engagements %d/%d · dead letters %d/%d"
                            + " · POSTs+pings %d/%s   ",
                    pipeline.health().state(),
                    metrics.count(PipelineMetrics.RECEIVED),
                    expected.received(),
                    metrics.count(PipelineMetrics.DUPLICATES_DROPPED),
                    expected.duplicates(),
                    watcher.engagements(),
                    expected.engagements(),
                    watcher.deadLetters(),
                    expected.deadLetters(),
                    deliveries,
                    awaitDelivery ? Integer.toString(expected.events() + expected.pings()) : "-");
            out.flush();
            boolean outputDone =
                    watcher.engagements() >= expected.engagements() && watcher.deadLetters() >= expected.deadLetters();
            boolean deliveryDone = !awaitDelivery || deliveries >= expected.events() + expected.pings();
            if (outputDone && deliveryDone) {
                out.println();
                return true;
            }
            if (System.nanoTime() > deadline || pipeline.health().failed()) {
                out.println();
                out.println("Gave up waiting after " + timeout
                        + (pipeline.health().failed()
                                ? ": Kafka Streams failed"
                                : ": not all expected output arrived"));
                return false;
            }
            Thread.sleep(PROGRESS_INTERVAL.toMillis());
        }
    }

    private static List<Long> deliveryLatencies(List<ReceivedRequest> requests, OutputWatcher watcher) {
        List<Long> latencies = new ArrayList<>();
        for (ReceivedRequest request : requests) {
            Matcher matcher = REF.matcher(request.uri() + " " + request.body());
            if (matcher.find()) {
                Long ingestedAt = watcher.ingestedAt(matcher.group(1));
                if (ingestedAt != null) {
                    latencies.add(request.receivedAtMillis() - ingestedAt);
                }
            }
        }
        return latencies;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary directory: the OS cleans it up eventually.
        }
    }
}
