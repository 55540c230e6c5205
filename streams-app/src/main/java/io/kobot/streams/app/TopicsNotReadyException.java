package io.kobot.streams.app;

/** A topic is missing or the source topics are not co-partitioned: the pipeline cannot start (exit code 3). */
public final class TopicsNotReadyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TopicsNotReadyException(String message) {
        super(message);
    }
}
