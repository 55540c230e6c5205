package io.kobot.devstack.kochava;

/**
 * Where the stand-in counts what it received, by interaction id. Called on the stand-in's I/O thread, as each
 * request arrives (a delayed answer is counted when its request arrived): keep it quick, and thread-safe for the
 * readers. Switched with {@link KochavaStandIn#countInto}.
 */
public interface ReceiptCounter {

    /** Counts nothing. */
    ReceiptCounter NONE = new ReceiptCounter() {
        @Override
        public void received(String id, long epochMillis, long nanoTime) {}

        @Override
        public void unattributed() {}

        @Override
        public void failedAnswer() {}
    };

    /**
     * One interaction answered with success: an event of a POST body (its {@code event_data} id field) or a ping
     * (the last segment of its path).
     */
    void received(String id, long epochMillis, long nanoTime);

    /** A request answered with success that names no interaction. */
    void unattributed();

    /** A request answered with a failure (a {@link Fault}): the sender retries it, so it is no delivery. */
    void failedAnswer();
}
