/**
 * Dead letters, shared by every stage: the {@code DeadLetter} records with the original bytes and a reason code of
 * the data contract ({@link io.kobot.schema.deadletter.RejectionReason}), and Kafka Streams' exception handlers that
 * write them.
 */
package io.kobot.streams.deadletter;
