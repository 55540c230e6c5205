package io.kobot.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kobot.streams.config.PipelineConfig;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Start-up checks and readiness against a real broker: ready means able to deliver. */
@ExtendWith(RealInfrastructureExtension.class)
class StartupChecksIT {
    @TempDir
    Path dir;

    @Test
    void onlyTheInputTopicsExitsWith3InSecondsNamingTheOutputTopics(KafkaBroker broker) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic("startup-in-" + suffix, 2);
        broker.createTopic("startup-links-" + suffix, 2, Map.of("cleanup.policy", "compact"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        long started = System.nanoTime();
        int exitCode = Main.execute(
                new String[] {
                    "run",
                    "--set",
                    "application.id=startup-" + suffix,
                    "--set",
                    "bootstrap.servers=" + broker.bootstrapServers(),
                    "--set",
                    "schema.registry.url=mock://startup-" + suffix,
                    "--set",
                    "topics.interactions=startup-in-" + suffix,
                    "--set",
                    "topics.identity-links=startup-links-" + suffix,
                    "--set",
                    "topics.engagements=startup-engagements-" + suffix,
                    "--set",
                    "topics.deliveries=startup-deliveries-" + suffix,
                    "--set",
                    "topics.dead-letters=startup-dlq-" + suffix,
                    "--set",
                    "topics.create=false",
                    "--set",
                    "http.port=0",
                    "--set",
                    "state.dir=" + dir
                },
                Map.of(),
                new PrintWriter(out, true),
                new PrintWriter(err, true));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertThat(exitCode).as(err.toString()).isEqualTo(ExitCode.TOPICS_NOT_READY);
        assertThat(elapsed).isLessThan(Duration.ofSeconds(10));
        assertThat(err.toString())
                .contains(
                        "startup-engagements-" + suffix,
                        "startup-deliveries-" + suffix,
                        "startup-dlq-" + suffix,
                        "topics.create=true",
                        broker.bootstrapServers())
                .doesNotContain("startup-in-" + suffix, "startup-links-" + suffix);
    }

    @Test
    void notReadyWhileAnOutputTopicIsMissing(KafkaBroker broker) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String deadLetters = "ready-dlq-" + suffix;
        Map<String, String> raw = new HashMap<>(Map.of(
                "application.id", "ready-" + suffix,
                "bootstrap.servers", broker.bootstrapServers(),
                "schema.registry.url", "mock://ready-" + suffix,
                "topics.interactions", "ready-in-" + suffix,
                "topics.identity-links", "ready-links-" + suffix,
                "topics.engagements", "ready-engagements-" + suffix,
                "topics.deliveries", "ready-deliveries-" + suffix,
                "topics.dead-letters", deadLetters,
                "http.port", "0",
                "state.dir", dir.toString()));
        raw.put("topics.create", "true");
        raw.put("topics.partitions", "1");
        raw.put("kochava.endpoint", "http://127.0.0.1:9/track/json");
        PipelineConfig config = PipelineConfig.from(raw);
        int partitions = new TopicPreflight(config).run();

        try (Pipeline pipeline = new Pipeline(config, partitions);
                Admin admin = Admin.create(broker.clientProperties())) {
            pipeline.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.health().ready());

            admin.deleteTopics(List.of(deadLetters)).all().get();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !pipeline.health().ready());
            assertThat(pipeline.health().sinkProblem()).contains(deadLetters);
            assertThat(pipeline.health().live()).isTrue();

            broker.createTopic(deadLetters, 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.health().ready());
        }
    }

    @Test
    void aDedupChangelogShorterThanTheRetentionStopsTheStartOrIsRaisedWhenAsked(KafkaBroker broker) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String applicationId = "retention-" + suffix;
        String changelog = applicationId + "-dedup-seen-interactions-changelog";
        broker.createTopic(changelog, 1, Map.of("cleanup.policy", "compact,delete", "retention.ms", "3600000"));
        Map<String, String> raw = new HashMap<>(Map.of(
                "application.id", applicationId,
                "bootstrap.servers", broker.bootstrapServers(),
                "schema.registry.url", "mock://retention-" + suffix,
                "topics.interactions", "retention-in-" + suffix,
                "topics.identity-links", "retention-links-" + suffix,
                "topics.engagements", "retention-engagements-" + suffix,
                "topics.deliveries", "retention-deliveries-" + suffix,
                "topics.dead-letters", "retention-dlq-" + suffix,
                "topics.create", "true",
                "dedup.retention", "PT24H"));

        assertThatThrownBy(() -> new TopicPreflight(PipelineConfig.from(raw)).run())
                .isInstanceOf(TopicsNotReadyException.class)
                .hasMessageContaining(changelog)
                .hasMessageContaining("retention.ms=3600000")
                .hasMessageContaining("kafka-configs.sh")
                .hasMessageContaining("--add-config retention.ms=172800000")
                .hasMessageContaining("dedup.changelog.fix-retention=true");

        raw.put("dedup.changelog.fix-retention", "true");
        new TopicPreflight(PipelineConfig.from(raw)).run();
        try (Admin admin = Admin.create(broker.clientProperties())) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, changelog);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(admin.describeConfigs(List.of(resource))
                                    .all()
                                    .get()
                                    .get(resource)
                                    .get("retention.ms")
                                    .value())
                            .isEqualTo("172800000"));
        }
        raw.remove("dedup.changelog.fix-retention");
        new TopicPreflight(PipelineConfig.from(raw)).run(); // covered now
    }
}
