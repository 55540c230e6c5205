package io.kobot.streams.ingest;

import io.kobot.schema.deadletter.RejectionReason;
import java.util.Objects;

/**
 * A record that cannot enter the pipeline. Thrown by decoders and validators, caught by the ingest processors
 * and turned into a dead letter; it never reaches Kafka Streams' own handlers.
 *
 * <p>Messages must not contain personal data (no fb_user_id, no IP address): they are written to the DLQ and
 * logged.
 */
public final class InvalidRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    private final RejectionReason reason;

    public InvalidRecordException(RejectionReason reason, String message) {
        this(reason, message, null);
    }

    public InvalidRecordException(RejectionReason reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RejectionReason reason() {
        return reason;
    }
}
