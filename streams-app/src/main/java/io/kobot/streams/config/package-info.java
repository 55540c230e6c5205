/**
 * The pipeline's typed configuration: every key declared once with its type, default and documentation, read from
 * a properties file, the environment and {@code --set} flags, validated with every problem reported at once.
 */
package io.kobot.streams.config;
