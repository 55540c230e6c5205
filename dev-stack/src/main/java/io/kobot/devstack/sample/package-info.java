/**
 * The one sample generator and the one publisher of the demo, the benchmark and the fault suite: valid
 * interactions (impressions, clicks, events) with a chosen share of retried copies, identity links, and fuzzed or
 * malformed records, all reproducible from a seed and written in the wire forms the pipeline reads (Avro in the
 * Confluent wire format, JSON); and a Kafka producer that publishes them and keeps what the broker acknowledged.
 *
 * <p>This package knows the contract's Avro schemas only through the {@link org.apache.avro.Schema}s its users pass
 * in ({@code BotInteraction.getClassSchema()}): the module must not depend on {@code kobot-schemas}, whose tests use
 * the test harness, which uses this module.
 */
package io.kobot.devstack.sample;
