/**
 * The command line and the process: configuration, start-up checks, wiring the topology with its sink, running
 * Kafka Streams, shutdown and exit codes. The only package that wires; nothing depends on it.
 */
package io.kobot.streams.app;
