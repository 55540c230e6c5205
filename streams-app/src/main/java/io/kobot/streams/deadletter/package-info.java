/**
 * Dead letters, shared by every stage: the reason codes of the data contract
 * ({@link io.kobot.streams.deadletter.RejectionReason}), the {@code DeadLetter} records with the original bytes, and
 * Kafka Streams' exception handlers that write them.
 */
package io.kobot.streams.deadletter;
