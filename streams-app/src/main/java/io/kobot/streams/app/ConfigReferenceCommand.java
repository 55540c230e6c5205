package io.kobot.streams.app;

import io.kobot.streams.config.ConfigReferencePage;
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
                + ConfigReferencePage.START_MARKER + " and " + ConfigReferencePage.END_MARKER + ".")
final class ConfigReferenceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--update", paramLabel = "FILE", description = "The Markdown file to update in place.")
    Path update;

    @Override
    public Integer call() throws IOException {
        ConfigReferencePage.REFERENCE.printOrUpdate(update, spec.commandLine().getOut());
        return ExitCode.OK;
    }
}
