package io.kobot.kochava;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;

/**
 * Decides whether an attempt succeeded, may be retried, or failed for good.
 *
 * <ul>
 *   <li>Events and identity links: success is a 2xx whose JSON body has {@code success} equal to "1", 1 or true.
 *       Kochava answers 200 with {@code {"success":"0"}} for a request it drops, so any other 2xx is permanent.</li>
 *   <li>Pings: 2xx and 3xx are success. A SmartLink answers with a redirect to the store, which is not followed.</li>
 *   <li>408, 429, 5xx, I/O errors and timeouts are transient; other statuses are permanent.</li>
 * </ul>
 */
public final class ResponseClassifier {

    /** Longest body excerpt kept in a result: enough to see the error, small enough for an audit record. */
    public static final int MAX_EXCERPT_CHARS = 512;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResponseClassifier() {}

    public static AttemptResult classify(
            KochavaRequest request,
            int status,
            String retryAfterHeader,
            String body,
            Instant startedAt,
            Instant endedAt) {
        if (status >= 200 && status < 300) {
            if (!request.expectsSuccessField() || successFieldIsOne(body))
                return new AttemptResult(AttemptResult.Verdict.SUCCESS, status, null, null, startedAt, endedAt);
            return permanent(status, "success is not 1: " + excerpt(body), startedAt, endedAt);
        }
        if (status >= 300 && status < 400) {
            if (!request.expectsSuccessField())
                return new AttemptResult(AttemptResult.Verdict.SUCCESS, status, null, null, startedAt, endedAt);
            return permanent(
                    status, "HTTP " + status + " (redirects are not followed): " + excerpt(body), startedAt, endedAt);
        }
        if (status == 408 || status == 429 || status >= 500) {
            Duration retryAfter = status == 429 || status == 503 ? RetryAfter.parse(retryAfterHeader, endedAt) : null;
            return new AttemptResult(
                    AttemptResult.Verdict.TRANSIENT,
                    status,
                    "HTTP " + status + ": " + excerpt(body),
                    retryAfter,
                    startedAt,
                    endedAt);
        }
        return permanent(status, "HTTP " + status + ": " + excerpt(body), startedAt, endedAt);
    }

    /** An attempt that got no response is always worth retrying. */
    public static AttemptResult classifyFailure(Throwable error, Instant startedAt, Instant endedAt) {
        return new AttemptResult(AttemptResult.Verdict.TRANSIENT, null, describe(error), null, startedAt, endedAt);
    }

    static String excerpt(String body) {
        if (body == null || body.isBlank()) return "<empty body>";
        String trimmed = body.strip();
        return trimmed.length() <= MAX_EXCERPT_CHARS ? trimmed : trimmed.substring(0, MAX_EXCERPT_CHARS) + "...";
    }

    private static boolean successFieldIsOne(String body) {
        if (body == null || body.isBlank()) return false;
        JsonNode success;
        try {
            success = MAPPER.readTree(body).path("success");
        } catch (IOException e) {
            return false;
        }
        if (success.isTextual()) return success.asText().trim().equals("1");
        if (success.isIntegralNumber()) return success.asLong() == 1;
        return success.isBoolean() && success.booleanValue();
    }

    private static String describe(Throwable error) {
        boolean timeout = error instanceof SocketTimeoutException || error instanceof TimeoutException;
        String message = error.getMessage() == null ? "" : ": " + error.getMessage();
        return (timeout ? "timeout (" : "I/O error (") + error.getClass().getSimpleName() + message + ")";
    }

    private static AttemptResult permanent(int status, String detail, Instant startedAt, Instant endedAt) {
        return new AttemptResult(AttemptResult.Verdict.PERMANENT, status, detail, null, startedAt, endedAt);
    }
}
