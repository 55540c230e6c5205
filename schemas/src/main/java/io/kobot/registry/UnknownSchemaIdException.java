package io.kobot.registry;

import org.apache.kafka.common.errors.SerializationException;

/** The registry does not know the schema id a record carries (404 / error 40403). */
public class UnknownSchemaIdException extends SerializationException {

    private static final long serialVersionUID = 1L;

    private final int schemaId;

    public UnknownSchemaIdException(int schemaId, String message) {
        super(message);
        this.schemaId = schemaId;
    }

    public int schemaId() {
        return schemaId;
    }
}
