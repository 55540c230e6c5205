/**
 * Stage 1: decodes raw interaction bytes (Avro in the Confluent wire format, or JSON) and validates them against
 * the contract; a record that fails becomes a dead letter with its exact bytes, never an exception.
 */
package io.kobot.streams.ingest;
