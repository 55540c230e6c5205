package io.kobot.registry;

import org.apache.kafka.common.errors.SerializationException;

/** The bytes are not a Confluent wire-format Avro record: wrong magic byte, too short, or a truncated or corrupt body. */
public class InvalidWireFormatException extends SerializationException {

    private static final long serialVersionUID = 1L;

    public InvalidWireFormatException(String message) {
        super(message);
    }

    public InvalidWireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
