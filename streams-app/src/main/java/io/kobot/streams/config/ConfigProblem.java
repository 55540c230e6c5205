package io.kobot.streams.config;

import java.util.Objects;

/** One invalid configuration value: the key (or source) and why it was refused; never the secret itself. */
public record ConfigProblem(String key, String reason) {
    public ConfigProblem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return key + ": " + reason;
    }
}
