package io.kobot.streams.app;

import io.kobot.streams.config.InvalidConfigurationException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "print-config",
        description = "Prints the effective configuration, defaults included, as properties; secrets masked.")
final class PrintConfigCommand implements Callable<Integer> {
    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    PrintConfigCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        try {
            PrintWriter out = spec.commandLine().getOut();
            options.load(env).printable().forEach((key, value) -> out.println(key + "=" + value));
            out.flush();
            return ExitCode.OK;
        } catch (InvalidConfigurationException e) {
            return ConfigErrors.report(e, spec.commandLine().getErr());
        }
    }
}
