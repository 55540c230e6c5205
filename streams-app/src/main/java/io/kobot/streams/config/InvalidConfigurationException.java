package io.kobot.streams.config;

import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in a configuration, so an operator can fix all of them in one go. */
public final class InvalidConfigurationException extends RuntimeException {
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

    public List<ConfigProblem> problems() {
        return problems;
    }
}
