package io.kobot.config;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;

/**
 * The one error type for configuration problems, in every component: it carries every problem found, so an operator
 * can fix all of them in one go. A {@link ConfigException}, so Kafka and Kafka Connect treat it as theirs.
 */
public final class InvalidConfigurationException extends ConfigException {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    public InvalidConfigurationException(List<ConfigProblem> problems) {
        super(problems.stream()
                .map(ConfigProblem::toString)
                .collect(Collectors.joining("; ", "Invalid configuration: ", "")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("at least one problem is required");
        }
        this.problems = List.copyOf(problems);
    }

    /** Throws when {@code problems} is not empty. */
    public static void throwIfAny(List<ConfigProblem> problems) {
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    /** Prints every problem, one a line under a count, as the command lines show them. */
    public void printTo(PrintWriter out) {
        out.println(
                "Invalid configuration (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "):");
        problems.forEach(problem -> out.println("  " + problem));
        out.flush();
    }
}
