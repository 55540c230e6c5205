package io.kobot.streams.config;

import java.util.Objects;

/**
 * One documented configuration key.
 *
 * @param name         the key, as written in a properties file or after {@code --set}
 * @param type         how its value is parsed
 * @param defaultValue the value when none is given; {@code null} when there is none
 * @param required     whether a value must be given
 * @param doc          one sentence for the configuration reference
 */
public record ConfigKey(String name, ValueType type, String defaultValue, boolean required, String doc) {
    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(doc, "doc");
        if (required && defaultValue != null) {
            throw new IllegalArgumentException(name + ": a required key has no default");
        }
    }

    static ConfigKey required(String name, ValueType type, String doc) {
        return new ConfigKey(name, type, null, true, doc);
    }

    static ConfigKey optional(String name, ValueType type, String defaultValue, String doc) {
        return new ConfigKey(name, type, defaultValue, false, doc);
    }

    public boolean isSecret() {
        return type.isSecret();
    }
}
