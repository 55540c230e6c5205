package io.kobot.kochava;

/** A tracking URL whose host is not in {@code kochava.ping.allowed-hosts}: it is never requested. */
public final class HostNotAllowedException extends InvalidEngagementException {
    private static final long serialVersionUID = 1L;

    public HostNotAllowedException(String message) {
        super(message);
    }
}
