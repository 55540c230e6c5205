package io.kobot.streams.app;

import io.kobot.config.InvalidConfigurationException;
import java.io.PrintWriter;

/** Prints every configuration problem, one a line, and gives the matching exit code. */
final class ConfigErrors {
    private ConfigErrors() {}

    static int report(InvalidConfigurationException e, PrintWriter err) {
        e.printTo(err);
        return ExitCode.BAD_CONFIG;
    }
}
