package io.kobot.config;

import java.util.Objects;

/** One configuration problem: the key (or source) and why it was refused; never a secret value. */
public record ConfigProblem(String key, String reason) {
    /** The reason with any credentials inside URLs masked: component validators may quote the value they refuse. */
    public ConfigProblem {
        Objects.requireNonNull(key, "key");
        reason = UrlCredentials.mask(Objects.requireNonNull(reason, "reason"));
    }

    @Override
    public String toString() {
        return key + ": " + reason;
    }
}
