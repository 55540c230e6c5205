package io.kobot.kochava;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a configuration has invalid values. It carries every error found, not just the first, so that a
 * job can report all of them at once.
 */
public class InvalidConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    public InvalidConfigException(List<ConfigError> errors) {
        super(errors.stream()
                .map(ConfigError::toString)
                .collect(Collectors.joining("; ", "Invalid configuration: ", "")));
        if (errors.isEmpty()) throw new IllegalArgumentException("An InvalidConfigException needs at least one error");
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
