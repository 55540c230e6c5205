package io.kobot.kochava;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one HTTP attempt.
 *
 * @param verdict    how it ended
 * @param httpStatus the response status; null when no response came (I/O error, timeout)
 * @param detail     why it failed: the error, or the status and a classification of the body (never the body
 *                   itself); null on success
 * @param retryAfter the server's {@code Retry-After} on a 429 or 503, else null
 * @param startedAt  when the request was handed to the HTTP client
 * @param endedAt    when the response or the error came back
 */
public record AttemptResult(
        Verdict verdict, Integer httpStatus, String detail, Duration retryAfter, Instant startedAt, Instant endedAt) {

    public enum Verdict {
        /** Kochava took it. */
        SUCCESS,
        /** Worth retrying: I/O error, timeout, 408, 429, 5xx. */
        TRANSIENT,
        /** Retrying cannot help: other 4xx, a 2xx whose {@code success} is not 1, a refused address, a bad URI. */
        PERMANENT,
        /** The host name did not resolve: retried a few times only, then permanent. */
        UNRESOLVED
    }

    public AttemptResult {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
    }
}
