package io.kobot.messenger.mapping;

/** A signed body that is not a webhook at all (not a JSON object, {@code entry} not a list): answered 400. */
public final class MalformedWebhookException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedWebhookException(String message) {
        super(message);
    }
}
