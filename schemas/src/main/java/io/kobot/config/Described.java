package io.kobot.config;

import org.apache.kafka.common.config.ConfigDef;

/** A validator that says, for the configuration reference, what values it takes (e.g. {@code int ≥ 1}). */
public interface Described {
    String describe(ConfigDef.Type type);
}
