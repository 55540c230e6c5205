package io.kobot.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.devstack.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate-config} of the shipped {@code kobot.jar}, with its own logging configuration: what an operator
 * sees. Runs after {@code package}.
 */
class KobotJarValidateConfigIT {
    private static final Path JAR = Path.of(System.getProperty("basedir", "."), "target", "kobot.jar");

    @TempDir
    Path dir;

    @Test
    void aMissingSecretsFileIsOneProblemLineWithoutAStackTrace() throws Exception {
        Path missing = dir.resolve("secrets.properties");
        Path config = dir.resolve("kobot.properties");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "bootstrap.servers=broker:9092",
                        "schema.registry.url=http://registry:8081",
                        "kafka.sasl.jaas.config=${file:" + missing + ":jaas}"));
        Path output = dir.resolve("validate.log");

        Process process = new ProcessBuilder(
                        ChildJvm.command("-jar", JAR.toString(), "validate-config", "--config", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(output);
        assertThat(process.exitValue()).as(log).isEqualTo(ExitCode.BAD_CONFIG);
        assertThat(log)
                .contains("Invalid configuration (1 problem)", "cannot be resolved", missing.toString())
                .doesNotContain("NoSuchFileException", "\tat ", "ERROR");
    }
}
