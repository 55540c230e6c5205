package io.kobot.kochava;

/**
 * An engagement that cannot be turned into a request (no tracking URL, event_data that is not JSON, ...). No
 * attempt is made for it: it is a permanent failure. The message holds no personal data.
 */
public class InvalidEngagementException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidEngagementException(String message) {
        super(message);
    }
}
