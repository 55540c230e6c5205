/**
 * What an operator sees of a running instance: {@code /health/live}, {@code /health/ready} and {@code /metrics}
 * (Prometheus), over the pipeline's and the delivery sink's statistics.
 */
package io.kobot.streams.observability;
