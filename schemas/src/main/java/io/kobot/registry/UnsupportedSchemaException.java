package io.kobot.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The schema id a record carries resolves to something an Avro deserializer cannot use: a JSON or Protobuf schema,
 * an Avro schema that does not parse, or an id the registry refuses with a 4xx other than 401/403/404/429. The
 * record's fault, like an unknown id: retrying will not help, so it is dead-lettered, never a reason to stop.
 */
public class UnsupportedSchemaException extends SerializationException {

    private static final long serialVersionUID = 1L;

    private final int schemaId;

    public UnsupportedSchemaException(int schemaId, String message) {
        super(message);
        this.schemaId = schemaId;
    }

    public UnsupportedSchemaException(int schemaId, String message, Throwable cause) {
        super(message, cause);
        this.schemaId = schemaId;
    }

    public int schemaId() {
        return schemaId;
    }
}
