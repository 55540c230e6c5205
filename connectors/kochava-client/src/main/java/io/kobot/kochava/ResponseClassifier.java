package io.kobot.kochava;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.hc.core5.http.ProtocolException;

/**
 * Decides whether an attempt succeeded, may be retried, or failed for good.
 *
 * <ul>
 *   <li>Events and identity links: success is a 2xx whose JSON body has {@code success} equal to "1", 1 or true.
 *       Kochava answers 200 with {@code {"success":"0"}} for a request it drops, so any other 2xx is permanent.</li>
 *   <li>Pings: 2xx and 3xx are success. A SmartLink answers with a redirect to the store, which is not followed.</li>
 *   <li>408, 429, 5xx, I/O errors and timeouts are transient; other statuses are permanent.</li>
 *   <li>Failures before any request left: a refused address or an invalid request is permanent; an unknown host is
 *       {@link AttemptResult.Verdict#UNRESOLVED}, retried a few times only.</li>
 * </ul>
 *
 * <p>The detail of a result never quotes the response body, which may echo personal data: it holds the status
 * and a short classification of the body.
 */
public final class ResponseClassifier {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResponseClassifier() {}

    public static AttemptResult classify(
            KochavaRequest request,
            int status,
            String retryAfterHeader,
            String body,
            Instant startedAt,
            Instant endedAt) {
        return classify(request, status, retryAfterHeader, body, false, startedAt, endedAt);
    }

    /**
     * @param body the body as read, at most the cap
     * @param cut  whether the body went on past what was read
     */
    public static AttemptResult classify(
            KochavaRequest request,
            int status,
            String retryAfterHeader,
            String body,
            boolean cut,
            Instant startedAt,
            Instant endedAt) {
        if (status >= 200 && status < 300) {
            if (!request.expectsSuccessField() || (!cut && successFieldIsOne(body)))
                return new AttemptResult(AttemptResult.Verdict.SUCCESS, status, null, null, startedAt, endedAt);
            return permanent(status, "success is not 1 (" + describeBody(body, cut) + ")", startedAt, endedAt);
        }
        if (status >= 300 && status < 400) {
            if (!request.expectsSuccessField())
                return new AttemptResult(AttemptResult.Verdict.SUCCESS, status, null, null, startedAt, endedAt);
            return permanent(status, "HTTP " + status + " (redirects are not followed)", startedAt, endedAt);
        }
        if (status == 408 || status == 429 || status >= 500) {
            Duration retryAfter = status == 429 || status == 503 ? RetryAfter.parse(retryAfterHeader, endedAt) : null;
            return new AttemptResult(
                    AttemptResult.Verdict.TRANSIENT, status, "HTTP " + status, retryAfter, startedAt, endedAt);
        }
        return permanent(status, "HTTP " + status, startedAt, endedAt);
    }

    /**
     * An attempt that got no response: transient (I/O error, timeout), except for a refused address or a request
     * that could not be made (permanent) and an unknown host ({@link AttemptResult.Verdict#UNRESOLVED}).
     */
    public static AttemptResult classifyFailure(Throwable error, Instant startedAt, Instant endedAt) {
        Throwable cause = unwrap(error);
        if (cause instanceof AddressNotAllowedException)
            return new AttemptResult(
                    AttemptResult.Verdict.PERMANENT,
                    null,
                    "address refused: " + cause.getMessage(),
                    null,
                    startedAt,
                    endedAt);
        if (cause instanceof UnknownHostException)
            return new AttemptResult(
                    AttemptResult.Verdict.UNRESOLVED,
                    null,
                    "unknown host " + cause.getMessage(),
                    null,
                    startedAt,
                    endedAt);
        if (cause instanceof URISyntaxException
                || cause instanceof IllegalArgumentException
                || cause instanceof ProtocolException)
            return new AttemptResult(
                    AttemptResult.Verdict.PERMANENT,
                    null,
                    "invalid request (" + cause.getClass().getSimpleName() + ")",
                    null,
                    startedAt,
                    endedAt);
        return new AttemptResult(AttemptResult.Verdict.TRANSIENT, null, describe(cause), null, startedAt, endedAt);
    }

    /** What the body was like, without quoting it: it may echo personal data. */
    static String describeBody(String body, boolean cut) {
        String cutNote = cut ? ", longer than the " + KochavaClient.MAX_BODY_BYTES + " bytes read" : "";
        if (body == null || body.isBlank()) return "empty body" + cutNote;
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            return "body is not JSON" + cutNote;
        }
        if (!root.isObject()) return "body is not a JSON object" + cutNote;
        JsonNode success = root.path("success");
        if (success.isMissingNode()) return "no success field" + cutNote;
        boolean zero = (success.isTextual() && success.asText().trim().equals("0"))
                || (success.isIntegralNumber() && success.asLong() == 0)
                || (success.isBoolean() && !success.asBoolean());
        return (zero ? "success is 0" : "success has another value") + cutNote;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) cause = cause.getCause();
        return cause;
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
