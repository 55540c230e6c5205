package io.kobot.kochava;

import java.util.ArrayList;
import java.util.List;

/**
 * Tells the connection an exchange runs on that the client gave up on it (its deadline passed, or the client
 * closes), whatever HttpClient made of the cancellation: {@link MultiplexingConnectionManager} then stops sharing an
 * HTTP/2 connection whose stream the server may never end, and cancels the exchange's connect if it is still being
 * opened or waits to be (HttpClient 5.6 loses that cancellation when the lease before it completed at once).
 * Travels in the exchange's context.
 */
final class ExchangeAbandonment {

    /** The context attribute that carries it. */
    static final String ATTRIBUTE = "io.kobot.kochava.abandonment";

    /** Guarded by this; one per stage of the exchange that registered (its connect, its stream), in that order. */
    private final List<Runnable> onAbandon = new ArrayList<>(2);

    private boolean abandoned;

    /** Runs {@code action} when the exchange is abandoned, or now if it already was. */
    void onAbandon(Runnable action) {
        synchronized (this) {
            if (!abandoned) {
                onAbandon.add(action);
                return;
            }
        }
        action.run();
    }

    void abandon() {
        List<Runnable> actions;
        synchronized (this) {
            if (abandoned) return;
            abandoned = true;
            actions = List.copyOf(onAbandon);
            onAbandon.clear();
        }
        actions.forEach(Runnable::run);
    }
}
