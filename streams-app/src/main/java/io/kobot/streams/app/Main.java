package io.kobot.streams.app;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The kobot command line: {@code run}, {@code validate-config}, {@code replay-dead-letters} and helpers (the demo is
 * its own jar).
 */
@Command(
        name = "kobot",
        mixinStandardHelpOptions = true,
        version = "kobot 0.1.0",
        description = "Forwards chatbot engagements from Kafka to Kochava.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok (after SIGTERM too)",
            "1:runtime failure: Kafka Streams failed or did not close within shutdown.timeout",
            "2:bad configuration or usage; every problem is printed",
            "3:a topic the job reads or writes is missing, or the source topics are not co-partitioned",
            "4:the Kafka cluster did not answer within startup.kafka-timeout"
        })
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(), "Missing a command: run, validate-config or replay-dead-letters");
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(args, System.getenv(), out, err));
    }

    /** Runs one command in this process and returns its exit code (tests inject the environment). */
    public static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new Main())
                .addSubcommand(new RunCommand(env))
                .addSubcommand(new ReplayDeadLettersCommand(env))
                .addSubcommand(new ValidateConfigCommand(env))
                .addSubcommand(new PrintConfigCommand(env))
                .addSubcommand(new ConfigReferenceCommand())
                .setOut(out)
                .setErr(err);
        return commandLine.execute(args);
    }
}
