package io.kobot.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawConfigurationTest {
    @TempDir
    Path dir;

    private final List<ConfigProblem> problems = new ArrayList<>();

    @Test
    void flagsWinOverTheEnvironmentWhichWinsOverTheFile() throws IOException {
        Path file = write("a.properties", "application.id=from-file\ntopics.identity-links=file-links\nhttp.port=1\n");
        Map<String, String> env = Map.of(
                "KOBOT_APPLICATION_ID", "from-env",
                "KOBOT_TOPICS_IDENTITY__LINKS", "env-links",
                "PATH", "/usr/bin");

        Map<String, String> raw =
                RawConfiguration.load(Optional.of(file), env, List.of("application.id=from-flag", "x.y=a=b"), problems);

        assertThat(raw)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "application.id", "from-flag",
                        "topics.identity-links", "env-links",
                        "http.port", "1",
                        "x.y", "a=b"));
        assertThat(problems).isEmpty();
    }

    @Test
    void environmentNamesMapBothWays() {
        for (String key : List.of("bootstrap.servers", "topics.identity-links", "kafka.sasl.jaas.config")) {
            assertThat(RawConfiguration.keyOfEnv(RawConfiguration.envNameOf(key)))
                    .contains(key);
        }
        assertThat(RawConfiguration.envNameOf("topics.identity-links")).isEqualTo("KOBOT_TOPICS_IDENTITY__LINKS");
        assertThat(RawConfiguration.keyOfEnv("HOME")).isEmpty();
        assertThat(RawConfiguration.keyOfEnv("KOBOT_")).isEmpty();
    }

    @Test
    void resolvesFileAndEnvironmentReferences() throws IOException {
        Path secrets = write("secrets.properties", "registry=alice:s3cr3t\n");

        Map<String, String> raw = RawConfiguration.load(
                Optional.empty(),
                Map.of("KOBOT_KAFKA_SASL_JAAS_CONFIG", "${env:JAAS}", "JAAS", "jaas-value"),
                List.of("schema.registry.basic.auth.user.info=${file:" + secrets + ":registry}"),
                problems);

        assertThat(raw)
                .containsEntry("schema.registry.basic.auth.user.info", "alice:s3cr3t")
                .containsEntry("kafka.sasl.jaas.config", "jaas-value");
        assertThat(problems).isEmpty();
    }

    @Test
    void reportsEverySourceProblemWithoutQuotingValues() {
        Map<String, String> raw = RawConfiguration.load(
                Optional.of(dir.resolve("missing.properties")),
                Map.of(),
                List.of("s3cr3t-without-key", "user.info=${env:NO_SUCH_VARIABLE_FOR_KOBOT}"),
                problems);

        assertThat(problems).extracting(ConfigProblem::key).containsExactly("--config", "--set", "user.info");
        assertThat(problems.get(0).reason()).startsWith("no such file: ");
        assertThat(problems.get(2).reason()).contains("does not exist");
        assertThat(problems.toString()).doesNotContain("s3cr3t");
        assertThat(raw).containsOnlyKeys("user.info");
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
