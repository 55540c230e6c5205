package io.kobot.config;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Utils;

/**
 * Validators for {@link ConfigDef} keys that say what is wrong in plain words ({@code must be at least 1, got 0}),
 * describe themselves for the configuration reference, and accept {@code null} (an optional key left unset).
 */
public final class Validators {
    private Validators() {}

    /** A number at least {@code min}. */
    public static ConfigDef.Validator atLeast(Number min) {
        return new NumberRange(min, null);
    }

    /** A number from {@code min} to {@code max}, both included. */
    public static ConfigDef.Validator between(Number min, Number max) {
        return new NumberRange(min, max);
    }

    /** One of {@code choices}, matched exactly. */
    public static ConfigDef.Validator oneOf(String... choices) {
        return new OneOf(List.of(choices), false);
    }

    /** One of {@code choices}, in any case. */
    public static ConfigDef.Validator oneOfIgnoringCase(String... choices) {
        return new OneOf(List.of(choices), true);
    }

    /** {@code host:port[,host:port…]}, as {@code bootstrap.servers} takes it. */
    public static ConfigDef.Validator hostPortList() {
        return described("host:port list", "host:port[,host:port...]", Validators::checkHostPortList);
    }

    /** An absolute http or https URL with a host. The value is not echoed: a URL may carry a token. */
    public static ConfigDef.Validator httpUrl() {
        return described("http(s) URL", "an absolute http(s) URL", Validators::checkHttpUrl);
    }

    /**
     * A validator that runs {@code check} on a set value (an unset one passes), described in the configuration
     * reference as {@code description} (e.g. {@code host:port list}) and in Kafka's own messages as {@code expected}.
     */
    public static ConfigDef.Validator described(String description, String expected, Check check) {
        return new DescribedCheck(description, expected, check);
    }

    /** Whether {@code text} is an absolute http or https URL with a host. */
    public static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }

    static String typeName(ConfigDef.Type type) {
        return switch (type) {
            case INT, SHORT -> "int";
            case LONG -> "long";
            case DOUBLE -> "number";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
    }

    private record NumberRange(Number min, Number max) implements ConfigDef.Validator, Described {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            Number number = (Number) value;
            if ((number instanceof Double || number instanceof Float) && !Double.isFinite(number.doubleValue())) {
                throw new ConfigException("must be a finite number, got " + number);
            }
            if (compare(number, min) < 0 || (max != null && compare(number, max) > 0)) {
                throw new ConfigException("must be " + range() + ", got " + number);
            }
        }

        private static int compare(Number a, Number b) {
            boolean integral =
                    !(a instanceof Double || a instanceof Float || b instanceof Double || b instanceof Float);
            return integral
                    ? Long.compare(a.longValue(), b.longValue())
                    : Double.compare(a.doubleValue(), b.doubleValue());
        }

        private String range() {
            return max == null ? "at least " + min : "between " + min + " and " + max;
        }

        @Override
        public String describe(ConfigDef.Type type) {
            return typeName(type) + (max == null ? " ≥ " + min : " " + min + "…" + max);
        }

        @Override
        public String toString() {
            return max == null ? "[" + min + ",...]" : "[" + min + ",...," + max + "]";
        }
    }

    private record OneOf(List<String> choices, boolean ignoreCase) implements ConfigDef.Validator, Described {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            String text = value.toString();
            boolean valid = choices.stream().anyMatch(c -> ignoreCase ? c.equalsIgnoreCase(text) : c.equals(text));
            if (!valid) {
                throw new ConfigException("must be one of " + String.join(", ", choices) + ", got '" + text + "'");
            }
        }

        @Override
        public String describe(ConfigDef.Type type) {
            return "one of " + String.join(", ", choices);
        }

        @Override
        public String toString() {
            return String.join(", ", choices);
        }
    }

    /** A check of a set value: throws a {@link ConfigException} that says what is wrong. */
    @FunctionalInterface
    public interface Check {
        void ensureValid(Object value);
    }

    private record DescribedCheck(String description, String expected, Check check)
            implements ConfigDef.Validator, Described {
        @Override
        public void ensureValid(String name, Object value) {
            if (value != null) {
                check.ensureValid(value);
            }
        }

        @Override
        public String describe(ConfigDef.Type type) {
            return description;
        }

        @Override
        public String toString() {
            return expected;
        }
    }

    private static void checkHostPortList(Object value) {
        for (String entry : value.toString().split(",", -1)) {
            String address = entry.trim();
            Integer port = Utils.getPort(address);
            String host = Utils.getHost(address);
            if (host == null || host.isBlank() || port == null || port < 1 || port > 65535) {
                throw new ConfigException("must be host:port[,host:port…] with ports 1…65535, got '" + address + "'");
            }
        }
    }

    private static void checkHttpUrl(Object value) {
        if (!isHttpUrl(value.toString())) {
            throw new ConfigException("must be an absolute http or https URL");
        }
    }
}
