/**
 * The pipeline's own counters, written by the processors and exported by {@code observability}.
 */
package io.kobot.streams.metrics;
