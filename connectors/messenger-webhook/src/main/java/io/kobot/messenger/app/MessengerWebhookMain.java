package io.kobot.messenger.app;

import io.kobot.config.InvalidConfigurationException;
import io.kobot.messenger.config.ConfigReferencePage;
import io.kobot.messenger.config.IntakeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The intake's command line: {@code run}, {@code validate-config} and {@code config-reference}. */
@Command(
        name = "kobot-messenger-webhook",
        mixinStandardHelpOptions = true,
        version = "kobot-messenger-webhook 0.1.0",
        description = "Receives Messenger Platform webhooks and publishes them as BotInteraction records.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok (after SIGTERM too)", "1:runtime failure", "2:bad configuration or usage"})
public final class MessengerWebhookMain implements Runnable {
    static final int OK = 0;
    static final int RUNTIME_FAILURE = 1;
    static final int BAD_CONFIG = 2;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing a command: run, validate-config or config-reference");
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(args, System.getenv(), out, err));
    }

    /** Runs one command in this process and returns its exit code (tests inject the environment). */
    public static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        return new CommandLine(new MessengerWebhookMain())
                .addSubcommand(new RunCommand(env))
                .addSubcommand(new ValidateConfigCommand(env))
                .addSubcommand(new ConfigReferenceCommand())
                .setOut(out)
                .setErr(err)
                .execute(args);
    }

    /** The options every command that reads the configuration takes. */
    static class ConfigOptions {
        @Option(names = "--config", paramLabel = "FILE", description = "A properties file.")
        Path config;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides one key; repeatable.")
        List<String> overrides = new ArrayList<>();

        /** The configuration, or null after printing every problem. */
        IntakeConfig load(Map<String, String> env, PrintWriter err) {
            try {
                return IntakeConfig.load(Optional.ofNullable(config), env, overrides);
            } catch (InvalidConfigurationException e) {
                e.printTo(err);
                return null;
            }
        }
    }

    @Command(name = "run", description = "Serves the webhook until SIGTERM.")
    static final class RunCommand extends ConfigOptions implements Callable<Integer> {
        private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

        @Spec
        CommandSpec spec;

        private final Map<String, String> env;

        RunCommand(Map<String, String> env) {
            this.env = env;
        }

        /**
         * Serves until SIGTERM, then closes within {@code shutdown.timeout} and exits 0. The shutdown hook ends the
         * JVM with {@link Runtime#halt(int)} once it is done, as the pipeline's does: a JVM ended by a signal
         * otherwise reports 143 whatever happened.
         */
        @Override
        public Integer call() throws InterruptedException {
            IntakeConfig config = load(env, spec.commandLine().getErr());
            if (config == null) {
                return BAD_CONFIG;
            }
            MessengerIntake intake = new MessengerIntake(config);
            Thread hook = new Thread(
                    () -> {
                        intake.close();
                        log.info("Exiting with code {}", OK);
                        Runtime.getRuntime().halt(OK);
                    },
                    "kobot-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                intake.start();
            } catch (IOException | RuntimeException e) {
                log.error("Could not start the intake: {}", e.toString());
                Runtime.getRuntime().removeShutdownHook(hook);
                intake.close();
                return RUNTIME_FAILURE;
            }
            new CountDownLatch(1).await(); // until the hook halts the JVM
            return OK;
        }
    }

    @Command(name = "validate-config", description = "Checks the configuration; prints every problem.")
    static final class ValidateConfigCommand extends ConfigOptions implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        private final Map<String, String> env;

        ValidateConfigCommand(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            IntakeConfig config = load(env, spec.commandLine().getErr());
            if (config == null) {
                return BAD_CONFIG;
            }
            spec.commandLine()
                    .getOut()
                    .println("Configuration valid: " + config.pages().size() + " page(s)");
            spec.commandLine().getOut().flush();
            return OK;
        }
    }

    @Command(
            name = "config-reference",
            description = "Prints the configuration reference (Markdown), or rewrites it in a Markdown file between "
                    + ConfigReferencePage.START_MARKER + " and " + ConfigReferencePage.END_MARKER + ".")
    static final class ConfigReferenceCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--update", paramLabel = "FILE", description = "The Markdown file to update in place.")
        Path update;

        @Override
        public Integer call() throws IOException {
            ConfigReferencePage.REFERENCE.printOrUpdate(
                    update, spec.commandLine().getOut());
            return OK;
        }
    }
}
