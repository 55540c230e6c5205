package io.kobot.messenger.publish;

/** Not every record of a request was acknowledged within {@code webhook.publish-timeout}. */
public final class PublishFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
