package io.kobot.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.kobot.streams.app.ExitCode;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "kobot-demo",
        mixinStandardHelpOptions = true,
        version = "kobot-demo 0.1.0",
        description = "Runs the whole pipeline on an embedded default: an in-process Kafka "
                + "broker, an in-memory schema registry and a local Kochava receiver, with a bundled sample; then prints "
                + "what happened and exits.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--records",
            paramLabel = "N",
            defaultValue = "2000",
            description = "Unique interactions in the sample (default: ${DEFAULT-VALUE}); 5% more are duplicates.")
    int records;

    @Option(
            names = "--kochava-endpoint",
            paramLabel = "URL",
            description = "Send to this Kochava-compatible endpoint instead of the local receiver.")
    URI kochavaEndpoint;

    @Option(
            names = "--http-port",
            paramLabel = "PORT",
            defaultValue = "0",
            description = "Serve /metrics and /health/* on this port while the demo runs (default: off).")
    int httpPort;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "PT2M",
            description = "How long to wait for all output (ISO-8601, default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--verbose", description = "Keep the pipeline's and Kafka's logs on the console.")
    boolean verbose;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new DemoCommand())
                .setOut(new PrintWriter(System.out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(System.err, true, StandardCharsets.UTF_8));
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (records < 1) {
            spec.commandLine().getErr().println("--records must be at least 1");
            return ExitCode.BAD_CONFIG;
        }
        if (!verbose) {
            // The progress line and summary are the output; warnings would only break the progress line.
            LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
            logging.getLoggerList().stream()
                    .filter(logger -> logger.getLevel() != null)
                    .forEach(logger -> logger.setLevel(Level.ERROR));
        }
        PrintWriter out = spec.commandLine().getOut();
        DemoReport report = new DemoRun(records, Optional.ofNullable(kochavaEndpoint), httpPort, timeout).run(out);
        new DemoSummary(report, out).print();
        return report.complete() ? ExitCode.OK : ExitCode.RUNTIME_FAILURE;
    }
}
