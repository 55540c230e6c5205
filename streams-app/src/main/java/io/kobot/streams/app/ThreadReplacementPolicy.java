package io.kobot.streams.app;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a stream thread dies of an exception the dead-letter handlers did not take (a broker or
 * registry outage outlasting the clients' own retries, a bug): the thread is replaced, at most
 * {@code maxReplacements} times within {@code window}, since such errors are usually transient and a new thread
 * resumes from the last committed offsets. Past that budget, or on a JVM {@link Error}, the whole client shuts
 * down and the process exits with code 1, so that an orchestrator restarts it rather than it failing in a loop.
 */
final class ThreadReplacementPolicy implements StreamsUncaughtExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ThreadReplacementPolicy.class);

    private final int maxReplacements;
    private final Duration window;
    private final Time time;
    private final Deque<Long> replacementTimes = new ArrayDeque<>();

    ThreadReplacementPolicy(int maxReplacements, Duration window, Time time) {
        this.maxReplacements = maxReplacements;
        this.window = window;
        this.time = time;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        if (causedByError(exception)) {
            log.error("Stream thread died of a JVM error; shutting down", exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        long now = time.milliseconds();
        while (!replacementTimes.isEmpty() && replacementTimes.peekFirst() <= now - window.toMillis()) {
            replacementTimes.removeFirst();
        }
        if (replacementTimes.size() >= maxReplacements) {
            log.error(
                    "Stream thread died; {} thread(s) already replaced within {}: shutting down",
                    replacementTimes.size(),
                    window,
                    exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacementTimes.addLast(now);
        log.warn(
                "Stream thread died; replacing it ({} of {} within {})",
                replacementTimes.size(),
                maxReplacements,
                window,
                exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private static boolean causedByError(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof Error) {
                return true;
            }
        }
        return false;
    }
}
