package io.kobot.kochava;

/**
 * Tells the connection an exchange runs on that the client gave up on it (its deadline passed, or the client
 * closes), whatever HttpClient made of the cancellation: {@link MultiplexingConnectionManager} then stops sharing an
 * HTTP/2 connection whose stream the server may never end. Travels in the exchange's context.
 */
final class ExchangeAbandonment {

    /** The context attribute that carries it. */
    static final String ATTRIBUTE = "io.kobot.kochava.abandonment";

    private Runnable onAbandon;
    private boolean abandoned;

    /** Runs {@code action} when the exchange is abandoned, or now if it already was. */
    void onAbandon(Runnable action) {
        synchronized (this) {
            if (!abandoned) {
                onAbandon = action;
                return;
            }
        }
        action.run();
    }

    void abandon() {
        Runnable action;
        synchronized (this) {
            if (abandoned) return;
            abandoned = true;
            action = onAbandon;
        }
        if (action != null) action.run();
    }
}
