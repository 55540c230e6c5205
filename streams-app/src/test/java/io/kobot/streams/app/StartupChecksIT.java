package io.kobot.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kobot.streams.config.PipelineConfig;
import io.kobot.streams.config.PipelineConfigs;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        Map<String, String> raw = PipelineConfigs.forRun("startup", broker, dir);
        raw.put("topics.create", "false");
        broker.createTopic(raw.get("topics.interactions"), 2);
        broker.createTopic(raw.get("topics.identity-links"), 2, Map.of("cleanup.policy", "compact"));
        List<String> arguments = new ArrayList<>(List.of("run"));
        raw.forEach((key, value) -> arguments.addAll(List.of("--set", key + "=" + value)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        long started = System.nanoTime();
        int exitCode = Main.execute(
                arguments.toArray(String[]::new), Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertThat(exitCode).as(err.toString()).isEqualTo(ExitCode.TOPICS_NOT_READY);
        assertThat(elapsed).isLessThan(Duration.ofSeconds(10));
        assertThat(err.toString())
                .contains(
                        raw.get("topics.engagements"),
                        raw.get("topics.deliveries"),
                        raw.get("topics.dead-letters"),
                        "topics.create=true",
                        broker.bootstrapServers())
                .doesNotContain(raw.get("topics.interactions"), raw.get("topics.identity-links"));
    }

    @Test
    void notReadyWhileAnOutputTopicIsMissing(KafkaBroker broker) throws Exception {
        Map<String, String> raw = PipelineConfigs.forRun("ready", broker, dir);
        raw.put("topics.partitions", "1");
        String deadLetters = raw.get("topics.dead-letters");
        PipelineConfig config = PipelineConfig.from(raw);
        TopicPreflight.Result checked = new TopicPreflight(config).run();

        try (Pipeline pipeline = new Pipeline(config, checked);
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
    void theDedupStoreOfEarlierVersionsIsReadOnlyWhileItsChangelogExists(KafkaBroker broker) throws Exception {
        Map<String, String> raw = PipelineConfigs.forRun("previous-dedup", broker, dir);
        PipelineConfig config = PipelineConfig.from(raw);
        assertThat(new TopicPreflight(config).run().previousDedupStore())
                .as("a new deployment")
                .isFalse();

        String changelog = raw.get("application.id") + "-dedup-seen-interactions-changelog";
        broker.createTopic(changelog, 1, Map.of("cleanup.policy", "compact,delete"));
        assertThat(new TopicPreflight(config).run().previousDedupStore())
                .as("upgrading from a version with that store")
                .isTrue();
    }

    @Test
    void aDedupChangelogShorterThanTheRetentionStopsTheStartOrIsRaisedWhenAsked(KafkaBroker broker) throws Exception {
        Map<String, String> raw = PipelineConfigs.forRun("retention", broker, dir);
        raw.put("dedup.retention", "PT24H");
        String changelog = raw.get("application.id") + "-dedup-first-copies-changelog";
        broker.createTopic(changelog, 1, Map.of("cleanup.policy", "compact,delete", "retention.ms", "3600000"));

        assertThatThrownBy(() -> new TopicPreflight(PipelineConfig.from(raw)).run())
                .isInstanceOf(TopicsNotReadyException.class)
                .hasMessageContaining(changelog)
                .hasMessageContaining("retention.ms=3600000")
                .hasMessageContaining("kafka-configs.sh")
                .hasMessageContaining("--add-config retention.ms=259200000")
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
                            .isEqualTo("259200000"));
        }
        raw.remove("dedup.changelog.fix-retention");
        new TopicPreflight(PipelineConfig.from(raw)).run(); // covered now
    }
}
