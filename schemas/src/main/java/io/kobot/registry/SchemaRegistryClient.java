package io.kobot.registry;

import java.io.Closeable;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API the serdes need. Implementations cache their answers and are
 * thread-safe; every method throws one of {@link SchemaRegistryException} (the operator's problem: credentials,
 * compatibility, a URL that is no registry), {@link UnknownSchemaIdException} or {@link UnsupportedSchemaException}
 * (the record's: its id is unknown or not a usable Avro schema) or {@link SchemaRegistryUnavailableException} (an
 * outage: IO errors, timeouts, 429, 5xx).
 */
public interface SchemaRegistryClient extends Closeable {

    /** Registers {@code schema} under {@code subject} (or finds it there) and returns its global id. */
    int register(String subject, Schema schema);

    /**
     * Returns the id of {@code schema} if it is already registered under {@code subject}, without registering it
     * (used when auto.register.schemas=false); throws {@link SchemaRegistryException} when it is not.
     */
    int lookup(String subject, Schema schema);

    /** Returns the schema registered with global id {@code id}. */
    Schema getById(int id);

    @Override
    void close();
}
