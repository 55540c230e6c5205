package io.kobot.streams.app;

import io.kobot.streams.config.ConfigProblem;
import io.kobot.streams.config.InvalidConfigurationException;
import java.io.PrintWriter;

/** Prints every configuration problem, one a line, and gives the matching exit code. */
final class ConfigErrors {
    private ConfigErrors() {}

    static int report(InvalidConfigurationException e, PrintWriter err) {
        err.println("Invalid configuration (" + e.problems().size() + " problem"
                + (e.problems().size() == 1 ? "" : "s") + "):");
        for (ConfigProblem problem : e.problems()) {
            err.println("  " + problem.key() + ": " + problem.reason());
        }
        err.flush();
        return ExitCode.BAD_CONFIG;
    }
}
