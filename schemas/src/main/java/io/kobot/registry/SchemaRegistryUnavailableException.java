package io.kobot.registry;

import org.apache.kafka.common.errors.SerializationException;

/** The registry could not be reached, or kept answering 5xx/429, after the configured retries: a transient failure. */
public class SchemaRegistryUnavailableException extends SerializationException {

    private static final long serialVersionUID = 1L;

    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
