package io.kobot.streams.app;

import io.kobot.config.InvalidConfigurationException;
import io.kobot.schema.deadletter.RejectionReason;
import io.kobot.schema.deadletter.RejectionReason.Replay;
import io.kobot.streams.app.replay.DeadLetterReplay;
import io.kobot.streams.app.replay.ReplayClients;
import io.kobot.streams.app.replay.ReplayFilter;
import io.kobot.streams.app.replay.ReplayReport;
import io.kobot.streams.config.PipelineConfig;
import io.kobot.streams.topology.PipelineSerdes;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kobot replay-dead-letters}: sends dead letters through the pipeline again, on the job's configuration. */
@Command(
        name = "replay-dead-letters",
        sortOptions = false,
        modelTransformer = ReplayDeadLettersCommand.DefaultReasonsInHelp.class,
        description = {
            "Replays dead letters to the topics the pipeline reads, so that each is processed like a new "
                    + "record, delivery included. Resumable: progress is committed under the replay's --name."
        })
final class ReplayDeadLettersCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ReplayDeadLettersCommand.class);

    private final java.util.Map<String, String> env;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(
            names = "--reason",
            paramLabel = "CODE",
            description = "Replay dead letters with this reason code. Repeatable.")
    List<String> reasons = new ArrayList<>();

    @Option(
            names = "--from",
            paramLabel = "INSTANT",
            description = "Only dead letters that failed at or after this time (ISO-8601, e.g. 2026-12-01T08:00:00Z).")
    Instant from;

    @Option(names = "--to", paramLabel = "INSTANT", description = "Only dead letters that failed before this time.")
    Instant to;

    @Option(
            names = "--source-topic",
            paramLabel = "TOPIC",
            description = "Only dead letters from this source topic. Repeatable.")
    List<String> sourceTopics = new ArrayList<>();

    @Option(
            names = "--app-id",
            paramLabel = "ID",
            description = "Only dead letters of this kochava_app_id. Repeatable.")
    List<String> appIds = new ArrayList<>();

    @Option(names = "--dry-run", description = "Count what would be replayed, by reason and app; send nothing.")
    boolean dryRun;

    @Option(
            names = "--rate",
            paramLabel = "N",
            defaultValue = "500",
            description = "Records per second at most (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--max-records", paramLabel = "N", description = "Stop after replaying N; run again to resume.")
    Long maxRecords;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            defaultValue = "default",
            description = "The replay's name: progress is kept under the consumer group <application.id>-replay-NAME "
                    + "(default: ${DEFAULT-VALUE}). Another name starts from the beginning; dedup drops what was "
                    + "replayed already.")
    String name;

    ReplayDeadLettersCommand(java.util.Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        validateOptions();
        PipelineConfig config;
        try {
            config = options.load(env);
        } catch (InvalidConfigurationException e) {
            return ConfigErrors.report(e, spec.commandLine().getErr());
        }
        PrintWriter out = spec.commandLine().getOut();
        ReplayFilter filter = new ReplayFilter(
                new HashSet<>(reasons),
                Optional.ofNullable(from),
                Optional.ofNullable(to),
                new HashSet<>(sourceTopics),
                new HashSet<>(appIds));
        try (PipelineSerdes serdes = new PipelineSerdes(config.schemaRegistryConfig())) {
            DeadLetterReplay replay = new DeadLetterReplay(
                    config.topicNames(), config.applicationId(), serdes, new ReplayClients(config, name));
            ReplayReport report = replay.run(
                    new DeadLetterReplay.Options(
                            filter,
                            dryRun,
                            rate,
                            maxRecords == null ? Long.MAX_VALUE : maxRecords,
                            Duration.ofSeconds(5)),
                    out);
            log.info(
                    "Replay {} done: {} scanned, {} {}",
                    name,
                    report.scannedCount(),
                    report.takenCount(),
                    dryRun ? "would be replayed" : "replayed");
            return ExitCode.OK;
        } catch (RuntimeException e) {
            log.debug("Replay failed", e);
            spec.commandLine()
                    .getErr()
                    .println("Replay stopped: " + e.getMessage() + ". What was replayed up to "
                            + "the last progress line is committed; run the same command again to resume.");
            spec.commandLine().getErr().flush();
            return ExitCode.RUNTIME_FAILURE;
        }
    }

    private void validateOptions() {
        for (String reason : reasons) {
            RejectionReason code = RejectionReason.of(reason)
                    .orElseThrow(() -> new ParameterException(
                            spec.commandLine(),
                            "Unknown reason code " + reason + "; replayable: " + replayableCodes()));
            if (code.replay() == Replay.NEVER) {
                throw new ParameterException(
                        spec.commandLine(),
                        "Reason code " + reason + " is known but not replayable: its dead letters (stage "
                                + code.stage().label() + ") hold no record of a topic the pipeline reads");
            }
        }
        if (!(rate > 0)) {
            throw new ParameterException(spec.commandLine(), "--rate must be above 0");
        }
        if (maxRecords != null && maxRecords < 0) {
            throw new ParameterException(spec.commandLine(), "--max-records must not be negative");
        }
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new ParameterException(spec.commandLine(), "--name may hold letters, digits, '.', '_' and '-'");
        }
    }

    private static List<String> replayableCodes() {
        return Arrays.stream(RejectionReason.values())
                .filter(reason -> reason.replay() != Replay.NEVER)
                .map(Enum::name)
                .toList();
    }

    /** Names the codes replayed by default in the help, as the contract's list declares them. */
    static final class DefaultReasonsInHelp implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            List<String> description =
                    new ArrayList<>(List.of(command.usageMessage().description()));
            description.add("Without --reason only "
                    + String.join(
                            " and ",
                            RejectionReason.replayed(Replay.BY_DEFAULT).stream()
                                    .map(Enum::name)
                                    .toList())
                    + " are replayed; bad-input reasons only when named.");
            command.usageMessage().description(description.toArray(String[]::new));
            return command;
        }
    }
}
