package io.kobot.streams.app;

import io.kobot.streams.config.InvalidConfigurationException;
import io.kobot.streams.config.PipelineConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "validate-config", description = "Checks a configuration without connecting to anything.")
final class ValidateConfigCommand implements Callable<Integer> {
    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    ValidateConfigCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        try {
            PipelineConfig config = options.load(env);
            spec.commandLine()
                    .getOut()
                    .println("Configuration is valid (" + config.printable().size() + " keys).");
            return ExitCode.OK;
        } catch (InvalidConfigurationException e) {
            return ConfigErrors.report(e, spec.commandLine().getErr());
        }
    }
}
