package io.kobot.devstack.sample;

import org.apache.avro.Schema;

/**
 * The schema registry as the encoder needs it: the id of a schema under a subject, registering it if need be (the
 * project's {@code SchemaRegistryClient::register} fits).
 */
@FunctionalInterface
public interface SchemaIds {
    int register(String subject, Schema schema);
}
