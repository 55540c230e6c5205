package io.kobot.streams.app;

import io.kobot.streams.config.PipelineConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options that locate a configuration, shared by the commands that read one. */
final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with the configuration.")
    Path file;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Sets one key, over the file and KOBOT_* environment variables. Repeatable.")
    List<String> overrides = new ArrayList<>();

    PipelineConfig load(Map<String, String> env) {
        return PipelineConfig.load(Optional.ofNullable(file), env, overrides);
    }
}
