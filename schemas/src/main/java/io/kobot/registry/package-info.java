/**
 * The project's own Schema Registry serdes: the Confluent wire format (magic byte, schema id, Avro binary) over
 * any server that speaks the Confluent Schema Registry REST API, or an in-memory registry for {@code mock://} URLs.
 * Public API: {@link io.kobot.registry.SpecificAvroSerde}, {@link io.kobot.registry.SchemaRegistryConfig} and
 * {@link io.kobot.registry.ConnectionKeys} (the Kafka and registry keys of a standalone component); the rest is
 * internal.
 */
package io.kobot.registry;
