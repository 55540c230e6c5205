package io.kobot.kochava;

/**
 * The deliverer closed before a delivery ended. Whether Kochava got the request is unknown: the caller should keep
 * the engagement and deliver it again later.
 */
public class DeliveryAbortedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DeliveryAbortedException(String message) {
        super(message);
    }
}
