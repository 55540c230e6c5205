package io.kobot.streams.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kobot.devstack.FreePorts;
import io.kobot.schema.deadletter.RejectionReason;
import io.kobot.streams.app.Pipeline;
import io.kobot.streams.app.TopicPreflight;
import io.kobot.streams.config.PipelineConfig;
import io.kobot.streams.config.PipelineConfigs;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every metric the README lists is on /metrics right after start, before any record; counters at 0. */
@ExtendWith(RealInfrastructureExtension.class)
class MetricsAtStartIT {
    private static final Pattern README_METRIC = Pattern.compile("`(kobot_[a-z0-9_]*[a-z0-9]|kafka_stream)[_*]*[{`]");

    @TempDir
    Path dir;

    @Test
    void everyReadmeMetricIsExportedRightAfterStart(KafkaBroker broker) throws Exception {
        Set<String> documented = readmeMetrics();
        assertThat(documented).contains("kobot_records_total", "kobot_dead_letters_total", "kafka_stream");

        int port = FreePorts.pick();
        PipelineConfig config = config(broker, port);
        try (Pipeline pipeline = new Pipeline(config, new TopicPreflight(config).run())) {
            pipeline.start();
            String metrics = scrape(port);

            for (String name : documented) {
                assertThat(metrics).as(name).containsPattern("(?m)^" + Pattern.quote(name) + "[a-z_]*[{ ]");
            }
            for (RejectionReason reason : RejectionReason.ofPipeline()) {
                assertThat(metrics)
                        .contains("kobot_dead_letters_total{reason=\"" + reason.name() + "\",stage=\""
                                + reason.stage().label() + "\"} 0.0");
            }
            for (RejectionReason intake : RejectionReason.values()) {
                if (!intake.stage().inPipeline()) {
                    assertThat(metrics).doesNotContain("reason=\"" + intake.name() + "\"");
                }
            }
            assertThat(metrics)
                    .contains(
                            "kobot_records_total{outcome=\"received\",stage=\"ingest\"} 0.0",
                            "kobot_records_total{outcome=\"duplicates-dropped\",stage=\"dedup\"} 0.0");
        }
    }

    @Test
    void theStateStoresMetricsFollowWithinSecondsOfTheStart(KafkaBroker broker) throws Exception {
        int port = FreePorts.pick();
        PipelineConfig config = config(broker, port);
        try (Pipeline pipeline = new Pipeline(config, new TopicPreflight(config).run())) {
            pipeline.start();
            // Kafka Streams creates a store's metrics once its task is assigned, after the start; Micrometer's
            // binder finds them at its next refresh: a minute by default, which this bound rules out.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> scrape(port)
                            .lines()
                            .anyMatch(line -> line.startsWith("kafka_stream_state_estimate_pending_compaction_bytes{")
                                    && line.contains("state_id=\"dedup-first-copies\"")));
        }
    }

    private PipelineConfig config(KafkaBroker broker, int port) {
        Map<String, String> raw = PipelineConfigs.forRun("metrics", broker, dir);
        raw.put("http.port", Integer.toString(port));
        return PipelineConfig.from(raw);
    }

    private static String scrape(int port) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** The metric names the README's operations section promises, so that README and code stay in agreement. */
    private static Set<String> readmeMetrics() throws Exception {
        Path readme = Path.of("..", "docs", "operations.md");
        Matcher matcher = README_METRIC.matcher(Files.readString(readme));
        Set<String> names = new TreeSet<>();
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
