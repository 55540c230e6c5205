/**
 * The process: the command line ({@code run}, {@code validate-config}, {@code config-reference}) and the wiring of
 * one running intake. Its own artifact, {@code kobot-messenger-webhook.jar}, rather than a {@code kobot.jar}
 * command: the intake faces the internet and needs only an HTTP server and a Kafka producer, so it stays small
 * (no Kafka Streams, no RocksDB) and scales and restarts apart from the pipeline. The only package that wires.
 */
package io.kobot.messenger.app;
