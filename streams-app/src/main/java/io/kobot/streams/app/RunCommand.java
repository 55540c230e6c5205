package io.kobot.streams.app;

import io.kobot.config.InvalidConfigurationException;
import io.kobot.streams.config.PipelineConfig;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Production: runs the pipeline against external Kafka, schema registry and Kochava until SIGTERM.
 *
 * <p>On SIGTERM a shutdown hook stops the pipeline within {@code shutdown.timeout} and ends the process with
 * exit code 0 (1 if Streams failed or did not close in time). The hook ends the JVM with
 * {@link Runtime#halt(int)} once it is done, because a JVM ended by a signal otherwise reports 143 whatever its
 * hooks did; only the pipeline's own resources need closing, and they are closed by then. A SIGTERM before the
 * pipeline exists (during the start-up checks) ends the process with 0 at once. If Streams stops by itself (a
 * failure), the command returns 1.
 */
@Command(name = "run", description = "Runs the pipeline against external Kafka, schema registry and Kochava.")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    RunCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PipelineConfig config;
        try {
            config = options.load(env);
        } catch (InvalidConfigurationException e) {
            return ConfigErrors.report(e, spec.commandLine().getErr());
        }
        // Installed before anything starts: a SIGTERM during start-up (an orchestrator giving up on a slow start)
        // ends the process cleanly too, with nothing processed yet.
        AtomicReference<Pipeline> started = new AtomicReference<>();
        AtomicBoolean signalled = new AtomicBoolean();
        Thread hook = new Thread(
                () -> {
                    signalled.set(true);
                    Pipeline pipeline = started.get();
                    if (pipeline == null) {
                        log.info("Shutdown requested during start-up: exiting with code {}", ExitCode.OK);
                        Runtime.getRuntime().halt(ExitCode.OK);
                    }
                    log.info("Shutdown requested: closing within shutdown.timeout={}", config.shutdownTimeout());
                    int exitCode = pipeline.stop() ? ExitCode.OK : ExitCode.RUNTIME_FAILURE;
                    log.info("Exiting with code {}", exitCode);
                    Runtime.getRuntime().halt(exitCode);
                },
                "kobot-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        log.info("Configuration: {}", config);
        TopicPreflight.Result topics;
        try {
            topics = new TopicPreflight(config).run();
        } catch (TopicsNotReadyException e) {
            removeHook(hook);
            return startFailed(e, ExitCode.TOPICS_NOT_READY);
        } catch (KafkaUnreachableException e) {
            removeHook(hook);
            return startFailed(e, ExitCode.KAFKA_UNREACHABLE);
        }
        Pipeline pipeline = new Pipeline(config, topics);
        started.set(pipeline);
        pipeline.start();
        pipeline.awaitStopped();
        if (signalled.get() || !removeHook(hook)) {
            hook.join(); // the hook ends the process
        }
        log.error(
                "Kafka Streams stopped on its own (state {}): exiting with code {}",
                pipeline.health().state(),
                ExitCode.RUNTIME_FAILURE);
        pipeline.stop();
        return ExitCode.RUNTIME_FAILURE;
    }

    /** One explanatory paragraph on stderr and in the log; the stack trace only at DEBUG. */
    private int startFailed(RuntimeException e, int exitCode) {
        log.error("{} (exit code {})", e.getMessage(), exitCode);
        log.debug("Start-up check failed", e);
        spec.commandLine().getErr().println(e.getMessage());
        spec.commandLine().getErr().flush();
        return exitCode;
    }

    /** False when shutdown has begun: then the hook runs and owns the exit code. */
    private static boolean removeHook(Thread hook) {
        try {
            return Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
