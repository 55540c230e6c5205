package io.kobot.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The registry rejected a request for a reason retrying will not fix (4xx other than an unknown id: incompatible
 * schema, unauthorized, invalid schema, schema not registered) or answered something unreadable.
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
