package io.kobot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.devstack.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The documented benchmark command at a small size, as a child process with the heap it documents: it completes,
 * prints every figure and target, and loses nothing. The receiver serves HTTP/2 over TLS, with a certificate the
 * benchmark trusts through the trust store it writes, so that the client's negotiation of HTTP/2 by ALPN is
 * exercised end to end too (the plain HTTP/1.1 stand-in runs in the fault suite, the demo and the stand-in's own
 * tests). Speed is not asserted: CI machines vary.
 */
class BenchmarkSmokeIT {
    private static final Path JAR = Path.of("target", "kobot-bench.jar");

    @Test
    void smallRunPrintsEveryFigureAndLosesNothing() throws Exception {
        Path output = Files.createTempFile("kobot-bench", ".out");
        Path errors = Files.createTempFile("kobot-bench", ".err");
        Process bench = new ProcessBuilder(ChildJvm.command(
                        "-Xmx512m",
                        "-jar",
                        JAR.toString(),
                        "--records",
                        "20000",
                        // 12,000 identity links to take in before phases b and d, not the default 120,000: the
                        // smoke checks every figure and that nothing is lost, at a small size.
                        "--users",
                        "20000",
                        "--latency-seconds",
                        "3",
                        "--warmup-records",
                        "2000",
                        "--naive-records",
                        "2000",
                        "--naive-seconds",
                        "5",
                        "--receiver-tls",
                        "--receiver-http",
                        "h2"))
                .redirectOutput(output.toFile())
                .redirectError(errors.toFile())
                .start();
        boolean finished = bench.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            bench.destroyForcibly();
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println(printed);

        assertThat(finished).as("finished within 10 minutes").isTrue();
        assertThat(bench.exitValue())
                .as(
                        "exit code (1: records were lost or a phase failed); its standard error ends with:%n%s",
                        tail(errors))
                .isZero();
        assertThat(printed)
                .contains(
                        "(a) broker ceiling",
                        "(b) topology alone",
                        "(c) HTTP ceiling",
                        "warm-up, not measured: 2,000 records through the full pipeline",
                        "until the JIT compilers were idle",
                        "(d) full pipeline end to end",
                        "latency at 5,000 rec/s",
                        "(e) naive",
                        "peak heap",
                        "peak RSS (VmHWM)",
                        "state stores on disk",
                        "max in flight",
                        "b/a",
                        "d/min(a,c)",
                        "d/e",
                        "p99 at 5000 rec/s",
                        "no record lost",
                        "receiver: https",
                        "HTTP/2 offered by ALPN",
                        "Kafka bytes written",
                        "stream thread",
                        "client threads",
                        "receiver threads",
                        "KiB per open connection",
                        "JIT compiling");
        assertThat(printed).contains("engagements committed 19,003 of 19,003 unique");
        assertThat(printed)
                .as("the Kochava client negotiated HTTP/2 (the naive baseline sends HTTP/1.1)")
                .containsPattern("receiver served: HTTP/2 [1-9][0-9,]* requests");
        for (String phase : List.of("(b)", "(d)")) {
            assertThat(printed.lines().filter(line -> line.startsWith(phase)))
                    .singleElement()
                    .asString()
                    .containsPattern("stream thread [0-9.]+ µs CPU/rec; Kafka bytes written [1-9][0-9,]* B/rec");
        }
        assertThat(printed.lines()
                        .filter(line -> line.contains("received "))
                        .allMatch(line -> line.contains("lost 0, duplicates 0")))
                .as("no loss, no duplicate")
                .isTrue();
    }

    /** The last lines of a log, where a failed phase says why. */
    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
