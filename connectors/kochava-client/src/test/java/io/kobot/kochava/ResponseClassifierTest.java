package io.kobot.kochava;

import static io.kobot.kochava.AttemptResult.Verdict.PERMANENT;
import static io.kobot.kochava.AttemptResult.Verdict.SUCCESS;
import static io.kobot.kochava.AttemptResult.Verdict.TRANSIENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.schema.InteractionType;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseClassifierTest {

    private static final Instant START = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant END = START.plusMillis(40);

    private final KochavaRequests requests = new KochavaRequests(KochavaClientConfig.defaults());
    private final KochavaRequest event =
            requests.forEngagement(Engagements.event("i", "app", "fb").build());
    private final KochavaRequest ping =
            requests.forEngagement(Engagements.ping(InteractionType.CLICK, "https://imp.control.kochava.com/c", "fb")
                    .build());

    @ParameterizedTest
    @ValueSource(strings = {"{\"success\":\"1\"}", "{\"success\":1}", "{\"success\":true}", " {\"success\": \"1\" } "})
    void eventSuccess(String body) {
        AttemptResult result = classify(event, 200, body);

        assertThat(result.verdict()).isEqualTo(SUCCESS);
        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.detail()).isNull();
        assertThat(result.startedAt()).isEqualTo(START);
        assertThat(result.endedAt()).isEqualTo(END);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"success\":\"0\"}", "{\"success\":0}", "{\"success\":false}", "{}", "", "OK", "[1]"})
    void eventTwoHundredWithoutSuccessIsPermanent(String body) {
        AttemptResult result = classify(event, 200, body);

        assertThat(result.verdict()).isEqualTo(PERMANENT);
        assertThat(result.detail()).startsWith("success is not 1 (");
    }

    @Test
    void detailsClassifyTheBodyWithoutQuotingIt() {
        assertThat(classify(event, 200, "{\"success\":\"0\",\"error\":\"user fb-42\"}")
                        .detail())
                .isEqualTo("success is not 1 (success is 0)");
        assertThat(classify(event, 200, "{\"ok\":\"fb-42\"}").detail())
                .isEqualTo("success is not 1 (no success field)");
        assertThat(classify(event, 200, "fb-42").detail()).isEqualTo("success is not 1 (body is not JSON)");
        assertThat(classify(event, 200, "").detail()).isEqualTo("success is not 1 (empty body)");
        assertThat(classify(event, 400, "{\"error\":\"fb-42\"}").detail()).isEqualTo("HTTP 400");
        assertThat(classify(event, 503, "fb-42").detail()).isEqualTo("HTTP 503");
    }

    @Test
    void aCutBodyIsNeverSuccess() {
        AttemptResult result = ResponseClassifier.classify(event, 200, null, "{\"success\":\"1\"", true, START, END);

        assertThat(result.verdict()).isEqualTo(PERMANENT);
        assertThat(result.detail()).isEqualTo("success is not 1 (body is not JSON, longer than the 8192 bytes read)");
    }

    @Test
    void eventRedirectIsPermanent() {
        assertThat(classify(event, 301, "").verdict()).isEqualTo(PERMANENT);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 204, 301, 302, 303, 307})
    void pingTwoHundredsAndRedirectsSucceedWhateverTheBody(int status) {
        assertThat(classify(ping, status, "<html>store</html>").verdict()).isEqualTo(SUCCESS);
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void transientStatuses(int status) {
        assertThat(classify(event, status, "busy").verdict()).isEqualTo(TRANSIENT);
        assertThat(classify(ping, status, "busy").verdict()).isEqualTo(TRANSIENT);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 410, 413, 422})
    void otherClientErrorsArePermanent(int status) {
        AttemptResult result = classify(event, status, "{\"error\":\"bad app id\"}");

        assertThat(result.verdict()).isEqualTo(PERMANENT);
        assertThat(result.detail()).isEqualTo("HTTP " + status);
        assertThat(classify(ping, status, "").verdict()).isEqualTo(PERMANENT);
    }

    @Test
    void retryAfterIsReadOn429And503Only() {
        assertThat(ResponseClassifier.classify(event, 429, "7", "", START, END).retryAfter())
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(ResponseClassifier.classify(event, 503, "Sat, 01 Mar 2025 10:00:30 GMT", "", START, END)
                        .retryAfter())
                .isEqualTo(Duration.ofMillis(29_960));
        assertThat(ResponseClassifier.classify(event, 500, "7", "", START, END).retryAfter())
                .isNull();
        assertThat(ResponseClassifier.classify(event, 429, null, "", START, END).retryAfter())
                .isNull();
    }

    @Test
    void retryAfterParsing() {
        assertThat(RetryAfter.parse("0", START)).isZero();
        assertThat(RetryAfter.parse(" 120 ", START)).isEqualTo(Duration.ofMinutes(2));
        assertThat(RetryAfter.parse("Sat, 01 Mar 2025 09:00:00 GMT", START)).isZero();
        assertThat(RetryAfter.parse("soon", START)).isNull();
        assertThat(RetryAfter.parse("-5", START)).isNull();
        assertThat(RetryAfter.parse("99999999999999999999999", START)).isNull();
    }

    @Test
    void failuresWithoutResponseAreTransient() {
        AttemptResult timeout = ResponseClassifier.classifyFailure(new SocketTimeoutException("5 SECONDS"), START, END);
        AttemptResult reset = ResponseClassifier.classifyFailure(new IOException("Connection reset"), START, END);

        assertThat(timeout.verdict()).isEqualTo(TRANSIENT);
        assertThat(timeout.httpStatus()).isNull();
        assertThat(timeout.detail()).isEqualTo("timeout (SocketTimeoutException: 5 SECONDS)");
        assertThat(reset.verdict()).isEqualTo(TRANSIENT);
        assertThat(reset.detail()).isEqualTo("I/O error (IOException: Connection reset)");
    }

    @Test
    void refusedAddressesAndInvalidRequestsArePermanentUnknownHostsUnresolved() {
        AttemptResult refused =
                ResponseClassifier.classifyFailure(new AddressNotAllowedException("10.0.0.1", "private"), START, END);
        AttemptResult unknown =
                ResponseClassifier.classifyFailure(new java.net.UnknownHostException("nowhere.invalid"), START, END);
        AttemptResult invalid = ResponseClassifier.classifyFailure(new IllegalArgumentException("bad"), START, END);

        assertThat(refused.verdict()).isEqualTo(PERMANENT);
        assertThat(refused.detail()).startsWith("address refused: 10.0.0.1 is a private address");
        assertThat(unknown.verdict()).isEqualTo(AttemptResult.Verdict.UNRESOLVED);
        assertThat(unknown.detail()).isEqualTo("unknown host nowhere.invalid");
        assertThat(invalid.verdict()).isEqualTo(PERMANENT);
    }

    private static AttemptResult classify(KochavaRequest request, int status, String body) {
        return ResponseClassifier.classify(request, status, null, body, START, END);
    }
}
