package io.kobot.streams.app;

import io.kobot.streams.config.ConfigReference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "config-reference",
        description = "Prints the configuration reference (Markdown), or rewrites it in a Markdown file between "
                + ConfigReference.START_MARKER + " and " + ConfigReference.END_MARKER + ".")
final class ConfigReferenceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--update", paramLabel = "FILE", description = "The Markdown file to update in place.")
    Path update;

    @Override
    public Integer call() throws IOException {
        if (update == null) {
            spec.commandLine().getOut().print(ConfigReference.markdown());
            spec.commandLine().getOut().flush();
        } else {
            ConfigReference.updateFile(update);
            spec.commandLine().getOut().println("Updated the configuration reference in " + update);
        }
        return ExitCode.OK;
    }
}
