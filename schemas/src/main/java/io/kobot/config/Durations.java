package io.kobot.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The one convention for durations: declared as {@link ConfigDef.Type#STRING} keys with one of these validators,
 * documented as ISO-8601 ({@code PT30S}, {@code PT24H}), also accepting a whole number with a unit ({@code 500ms},
 * {@code 30s}, {@code 5m}, {@code 24h}). Keys that took plain milliseconds before ({@link #atLeastMillis}) still take
 * a plain number as milliseconds. Read the value with {@link ConfigValues#getDuration} or {@link #parse}.
 */
public final class Durations {
    private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private Durations() {}

    /** A duration of at least {@code min}; a plain number is refused as ambiguous. */
    public static ConfigDef.Validator atLeast(Duration min) {
        return new DurationValidator(min, false);
    }

    /** A duration of at least {@code min}; a plain number is milliseconds, as this key took before. */
    public static ConfigDef.Validator atLeastMillis(Duration min) {
        return new DurationValidator(min, true);
    }

    /** Whether {@code key} is declared a duration (with one of these validators). */
    public static boolean isDuration(ConfigDef.ConfigKey key) {
        return key.validator instanceof DurationValidator;
    }

    /**
     * The duration {@code value} (a string, a number of milliseconds when {@code plainMillis}, or a Duration).
     *
     * @throws ConfigException saying what is accepted
     */
    public static Duration parse(Object value, boolean plainMillis) {
        if (value instanceof Duration duration) {
            return duration;
        }
        String text = value.toString().trim();
        if (text.startsWith("P") || text.startsWith("p") || text.startsWith("-")) {
            try {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        }
        Matcher matcher = WITH_UNIT.matcher(text.toLowerCase(Locale.ROOT));
        if (!matcher.matches() || (matcher.group(2) == null && !plainMillis)) {
            throw invalid(text);
        }
        try {
            long amount = Long.parseLong(matcher.group(1));
            String unit = matcher.group(2) == null ? "ms" : matcher.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw invalid(text);
        }
    }

    private static ConfigException invalid(String text) {
        return new ConfigException("must be an ISO-8601 duration such as PT30S or PT24H, got '" + text + "'");
    }

    /** Checks a duration key's value; {@link #parse(Object)} of the validator reads it the same way. */
    static final class DurationValidator implements ConfigDef.Validator, Described {
        private final Duration min;
        private final boolean plainMillis;

        DurationValidator(Duration min, boolean plainMillis) {
            this.min = min;
            this.plainMillis = plainMillis;
        }

        Duration parse(Object value) {
            return Durations.parse(value, plainMillis);
        }

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            Duration duration = parse(value);
            if (duration.compareTo(min) < 0) {
                throw new ConfigException("must be at least " + min + ", got " + duration);
            }
        }

        @Override
        public String describe(ConfigDef.Type type) {
            return "ISO-8601 duration ≥ " + min;
        }

        @Override
        public String toString() {
            return "an ISO-8601 duration ≥ " + min;
        }
    }
}
