package io.kobot.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.devstack.FreePorts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start-up failure explains itself: no broker listening. */
class StartupFailureTest {
    @TempDir
    Path dir;

    @Test
    void noBrokerIsOneParagraphNamingTheAddressWithExitCode4InBoundedTime() throws IOException {
        String address = "127.0.0.1:" + closedPort();
        StringWriter err = new StringWriter();

        long started = System.nanoTime();
        int exitCode = runAgainst(address, err);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertThat(exitCode).as(err.toString()).isEqualTo(ExitCode.KAFKA_UNREACHABLE);
        assertThat(elapsed).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(15));
        String message = err.toString().strip();
        assertThat(message)
                .doesNotContain("\n")
                .doesNotContain("Exception")
                .contains(
                        "bootstrap.servers=" + address,
                        "security.protocol=PLAINTEXT",
                        "startup.kafka-timeout=PT3S",
                        "Check that the brokers are running");
        assertThat(message).containsPattern("within \\d+\\.\\d s");
    }

    private static int closedPort() {
        return FreePorts.pick(); // closed again: nothing listens there
    }

    @Test
    void anUnresolvableBootstrapAddressIsNamedWithExitCode4() {
        StringWriter err = new StringWriter();

        int exitCode = runAgainst("no-such-host.invalid:9092", err);

        assertThat(exitCode).as(err.toString()).isEqualTo(ExitCode.KAFKA_UNREACHABLE);
        assertThat(err.toString().strip()).doesNotContain("\n").contains("no-such-host.invalid:9092");
    }

    /** {@code kobot run} against {@code bootstrapServers}, waiting 3 s for the brokers; its error output to {@code err}. */
    private int runAgainst(String bootstrapServers, StringWriter err) {
        return Main.execute(
                new String[] {
                    "run",
                    "--set",
                    "bootstrap.servers=" + bootstrapServers,
                    "--set",
                    "schema.registry.url=mock://no-broker",
                    "--set",
                    "startup.kafka-timeout=PT3S",
                    "--set",
                    "http.port=0",
                    "--set",
                    "state.dir=" + dir
                },
                Map.of(),
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
    }
}
