package io.kobot.streams.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * The type of a configuration value: how its text is parsed and how the configuration reference describes it.
 * Parsing failures say why without echoing the value, which may be a secret.
 */
public abstract class ValueType {
    private final String description;

    private ValueType(String description) {
        this.description = description;
    }

    /** Whether values of this type are secrets, never printed (see {@link Secrets}). */
    public boolean isSecret() {
        return false;
    }

    /** For the configuration reference, e.g. {@code int ≥ 1}. */
    public String description() {
        return description;
    }

    /** The typed value of {@code text}; {@link IllegalArgumentException} with the reason if it is invalid. */
    abstract Object parse(String text);

    @Override
    public String toString() {
        return description;
    }

    public static ValueType string() {
        return new ValueType("string") {
            @Override
            Object parse(String text) {
                if (text.isBlank()) {
                    throw new IllegalArgumentException("must not be empty");
                }
                return text.trim();
            }
        };
    }

    /** A string that is never printed: see {@link Secrets}. */
    public static ValueType password() {
        return new ValueType("password") {
            @Override
            public boolean isSecret() {
                return true;
            }

            @Override
            Object parse(String text) {
                if (text.isEmpty()) {
                    throw new IllegalArgumentException("must not be empty");
                }
                return text;
            }
        };
    }

    public static ValueType bool() {
        return new ValueType("boolean") {
            @Override
            Object parse(String text) {
                String normalized = text.trim().toLowerCase(Locale.ROOT);
                if (normalized.equals("true") || normalized.equals("false")) {
                    return Boolean.parseBoolean(normalized);
                }
                throw new IllegalArgumentException("must be true or false, not '" + text + "'");
            }
        };
    }

    public static ValueType integer(int min, int max) {
        String range = max == Integer.MAX_VALUE ? "int ≥ " + min : "int " + min + "…" + max;
        return new ValueType(range) {
            @Override
            Object parse(String text) {
                int value;
                try {
                    value = Integer.parseInt(text.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be an integer, not '" + text + "'");
                }
                if (value < min || value > max) {
                    throw new IllegalArgumentException("must be " + range.substring(4) + ", not " + value);
                }
                return value;
            }
        };
    }

    /** An ISO-8601 duration such as {@code PT30S}, at least {@code min}. */
    public static ValueType duration(Duration min) {
        return new ValueType("ISO-8601 duration ≥ " + min) {
            @Override
            Object parse(String text) {
                Duration value;
                try {
                    value = Duration.parse(text.trim());
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(
                            "must be an ISO-8601 duration such as PT30S or PT24H, not '" + text + "'");
                }
                if (value.compareTo(min) < 0) {
                    throw new IllegalArgumentException("must be at least " + min + ", not " + value);
                }
                return value;
            }
        };
    }

    /** One of {@code choices}, matched exactly. */
    public static ValueType oneOf(List<String> choices) {
        return new ValueType("one of " + String.join(", ", choices)) {
            @Override
            Object parse(String text) {
                String trimmed = text.trim();
                if (!choices.contains(trimmed)) {
                    throw new IllegalArgumentException(
                            "must be one of " + String.join(", ", choices) + ", not '" + text + "'");
                }
                return trimmed;
            }
        };
    }
}
