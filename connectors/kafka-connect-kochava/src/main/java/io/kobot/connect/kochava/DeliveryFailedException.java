package io.kobot.connect.kochava;

import io.kobot.kochava.DeliveryResult;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * A record Kochava refused for good (REJECTED) or that failed transiently until delivery.max-retry-time ran out
 * (RETRIES_EXHAUSTED). Its message, which reaches the dead letter queue's headers, carries no fb_user_id.
 */
public class DeliveryFailedException extends ConnectException {

    private static final long serialVersionUID = 1L;

    public DeliveryFailedException(DeliveryResult result) {
        // The error names the last HTTP status, when there was a response.
        super("Kochava delivery " + result.outcome() + " after " + result.attempts() + " attempt(s)"
                + (result.error() == null ? "" : ": " + result.error()));
    }
}
