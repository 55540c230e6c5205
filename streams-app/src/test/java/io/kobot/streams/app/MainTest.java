package io.kobot.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.streams.config.ConfigReferencePage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void badConfigurationPrintsEveryProblemAndExitsWith2() throws IOException {
        Path file = write("""
                schema.registry.url=http://registry:8081
                dedup.retention=forever
                num.stream.threads=0
                topcs.interactions=typo
                """);

        int exitCode = execute(
                Map.of("KOBOT_HTTP_PORT", "-1"),
                "validate-config",
                "--config",
                file.toString(),
                "--set",
                "processing.guarantee=sometimes");

        assertThat(exitCode).isEqualTo(ExitCode.BAD_CONFIG);
        assertThat(err.toString())
                .contains(
                        "6 problems",
                        "bootstrap.servers: is required",
                        "dedup.retention:",
                        "num.stream.threads:",
                        "topcs.interactions: unknown key",
                        "http.port:",
                        "processing.guarantee:");
    }

    @Test
    void anUnreachableLookingBootstrapANegativeNumberAndAnUnknownKeyAreAllReported() throws IOException {
        Path file = write("""
                bootstrap.servers=kafka
                schema.registry.url=http://registry:8081
                delivery.max-in-flight=-4
                delivery.request-timout=5s
                """);

        int exitCode = execute(Map.of(), "validate-config", "--config", file.toString());

        assertThat(exitCode).isEqualTo(ExitCode.BAD_CONFIG);
        assertThat(err.toString())
                .contains(
                        "3 problems",
                        "bootstrap.servers: must be host:port[,host:port…] with ports 1…65535, got 'kafka'",
                        "delivery.max-in-flight: must be at least 1, got -4",
                        "delivery.request-timout: unknown key; did you mean delivery.request-timeout?");
    }

    @Test
    void validConfigurationExitsWith0() throws IOException {
        Path file = write("bootstrap.servers=b:9092\nschema.registry.url=mock://main-test\n");

        assertThat(execute(Map.of(), "validate-config", "--config", file.toString()))
                .isEqualTo(ExitCode.OK);
        assertThat(out.toString()).contains("valid");
    }

    @Test
    void printConfigMasksSecrets() throws IOException {
        Path file = write("bootstrap.servers=b:9092\nschema.registry.url=mock://main-test\n"
                + "kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"u\" password=\"hunter2\";\n");

        int exitCode = execute(
                Map.of("KOBOT_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "u:hunter2"),
                "print-config",
                "--config",
                file.toString());

        assertThat(exitCode).isEqualTo(ExitCode.OK);
        assertThat(out.toString())
                .doesNotContain("hunter2")
                .contains("kafka.sasl.jaas.config=[hidden]", "schema.registry.basic.auth.user.info=[hidden]");
    }

    @Test
    void configReferencePrintsTheTableOrRewritesItsSectionOfAPage() throws IOException {
        String table = ConfigReferencePage.REFERENCE.markdown();
        assertThat(execute(Map.of(), "config-reference")).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).isEqualTo(table);

        Path page = write("# Configuration\n" + ConfigReferencePage.START_MARKER + "\nstale\n"
                + ConfigReferencePage.END_MARKER + "\nafter\n");
        assertThat(execute(Map.of(), "config-reference", "--update", page.toString()))
                .isEqualTo(ExitCode.OK);

        assertThat(Files.readString(page))
                .isEqualTo("# Configuration\n" + ConfigReferencePage.START_MARKER + "\n" + table
                        + ConfigReferencePage.END_MARKER + "\nafter\n");
        assertThat(out.toString()).endsWith("Updated the configuration reference in " + page + System.lineSeparator());
    }

    @Test
    void unknownOptionIsAUsageErrorWithCode2() {
        assertThat(execute(Map.of(), "run", "--no-such-option")).isEqualTo(ExitCode.BAD_CONFIG);
    }

    @Test
    void replayingTheIntakesCodeIsRefusedAsKnownButNotReplayable() {
        int exitCode = execute(Map.of(), "replay-dead-letters", "--reason", "WEBHOOK_ITEM_MALFORMED", "--dry-run");

        assertThat(exitCode).isEqualTo(ExitCode.BAD_CONFIG);
        assertThat(err.toString())
                .contains("Reason code WEBHOOK_ITEM_MALFORMED is known but not replayable")
                .contains("stage intake")
                .doesNotContain("Unknown reason code");
    }

    @Test
    void replayingAnUnknownCodeIsRefusedNamingTheReplayableOnes() {
        int exitCode = execute(Map.of(), "replay-dead-letters", "--reason", "UNPARSABLE", "--dry-run");

        assertThat(exitCode).isEqualTo(ExitCode.BAD_CONFIG);
        String message = err.toString();
        assertThat(message).contains("Unknown reason code UNPARSABLE; replayable: [UNPARSEABLE, ");
        assertThat(message.substring(message.indexOf("replayable:"), message.indexOf(']') + 1))
                .contains("RETRIES_EXHAUSTED", "IDENTITY_LINK_NOT_FORWARDED")
                .doesNotContain("WEBHOOK_ITEM_MALFORMED");
    }

    @Test
    void replayHelpNamesTheCodesReplayedByDefault() {
        picocli.CommandLine command = new picocli.CommandLine(new ReplayDeadLettersCommand(Map.of()));

        assertThat(command.getCommandSpec().usageMessage().description())
                .contains("Without --reason only PROCESSING_ERROR and RETRIES_EXHAUSTED are replayed; bad-input "
                        + "reasons only when named.");
        assertThat(command.getUsageMessage()).contains("PROCESSING_ERROR", "RETRIES_EXHAUSTED");
    }

    @Test
    void helpDocumentsTheExitCodes() {
        assertThat(execute(Map.of(), "--help")).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).contains("Exit codes:", "3", "co-partitioned");
    }

    private int execute(Map<String, String> env, String... args) {
        return Main.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("kobot.properties");
        Files.writeString(file, text);
        return file;
    }
}
