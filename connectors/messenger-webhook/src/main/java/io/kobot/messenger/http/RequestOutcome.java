package io.kobot.messenger.http;

/** How a webhook request was answered: the {@code outcome} label. */
public enum RequestOutcome {
    /** 200: every record the POST mapped to was acknowledged. */
    PUBLISHED("published"),
    /** 200: a signed POST that mapped to no record. */
    NOTHING_TO_PUBLISH("nothing-to-publish"),
    /** 200: the subscription handshake, with the right token. */
    VERIFIED("verified"),
    /** 403: a verification GET with a wrong token or mode. */
    VERIFICATION_REFUSED("verification-refused"),
    /** 403: a POST without a valid signature; nothing published. */
    SIGNATURE_REFUSED("signature-refused"),
    /** 413: a body over {@code webhook.max-body-bytes}. */
    TOO_LARGE("too-large"),
    /** 400: a signed body that is not a webhook. */
    MALFORMED("malformed"),
    /** 503: the broker did not acknowledge every record in time; Meta retries. */
    PUBLISH_FAILED("publish-failed"),
    /** 405 or 404: another method or path. */
    REFUSED("refused");

    private final String label;

    RequestOutcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
