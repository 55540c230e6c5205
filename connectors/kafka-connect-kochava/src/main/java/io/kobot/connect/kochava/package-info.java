/**
 * The Kafka Connect sink: {@link io.kobot.connect.kochava.KochavaSinkConnector} delivers {@code Engagement} records
 * to Kochava with the shared Kochava client; {@link io.kobot.connect.kochava.RegistryAvroConverter} reads the
 * Confluent wire format through the project's registry serdes. Everything else is internal to the connector.
 */
package io.kobot.connect.kochava;
