/**
 * The configuration model shared by every component: each declares its keys once as a Kafka
 * {@link org.apache.kafka.common.config.ConfigDef} (type, default, validator, importance, documentation; secrets as
 * {@code Type.PASSWORD}), and the pipeline and the Kafka Connect sink compose those declarations
 * ({@link io.kobot.config.ConfigDefs#compose}). {@link io.kobot.config.ConfigValues} reads a definition reporting
 * every problem rather than the first, {@link io.kobot.config.InvalidConfigurationException} is the one error type,
 * {@link io.kobot.config.Durations} the one convention for durations, {@link io.kobot.config.Validators} the
 * validators that say what is wrong in plain words and describe themselves for the generated reference.
 * {@link io.kobot.config.RawConfiguration} loads a standalone component's sources (file, {@code KOBOT_*} variables,
 * {@code --set}, {@code ${file:…}}/{@code ${env:…}} references) and {@link io.kobot.config.ConfigReference} generates
 * a reference page from any definition.
 */
package io.kobot.config;
