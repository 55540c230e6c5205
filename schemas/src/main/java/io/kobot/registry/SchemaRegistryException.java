package io.kobot.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The registry rejected a request for a reason retrying will not fix and that is not the record's fault: bad
 * credentials or rights (401/403), a schema of ours it finds incompatible or invalid, or not registered, or an
 * answer that is no Confluent-API registry's. For what a record's schema id resolves to, see
 * {@link UnknownSchemaIdException} and {@link UnsupportedSchemaException} instead.
 */
public class SchemaRegistryException extends SerializationException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = -1;
        this.errorCode = -1;
    }

    /** The HTTP status the registry answered, or -1 when the failure was not an HTTP answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's error_code (e.g. 409 / 40901), or -1 when it sent none. */
    public int errorCode() {
        return errorCode;
    }
}
