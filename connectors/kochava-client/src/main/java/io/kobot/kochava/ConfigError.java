package io.kobot.kochava;

import java.util.Objects;

/** One invalid configuration value: the key and why it was refused. */
public record ConfigError(String key, String reason) {

    public ConfigError {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return key + ": " + reason;
    }
}
