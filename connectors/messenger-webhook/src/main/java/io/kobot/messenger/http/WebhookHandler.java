package io.kobot.messenger.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kobot.messenger.mapping.ItemOutcome;
import io.kobot.messenger.mapping.MalformedWebhookException;
import io.kobot.messenger.mapping.MappedRequest;
import io.kobot.messenger.mapping.WebhookMapper;
import io.kobot.messenger.publish.InteractionPublisher;
import io.kobot.messenger.publish.PublishFailedException;
import io.kobot.schema.deadletter.RejectionReason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.io.HttpRequestHandler;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.net.WWWFormCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook endpoint. {@code GET}: the subscription handshake. {@code POST}: size cap (413, unread), signature
 * over the raw bytes (403, nothing published), JSON (400), mapping, publishing; 200 only once every record is
 * acknowledged, 503 when the broker did not acknowledge them in time (Meta retries; the pipeline's deduplication
 * drops what had landed), 200 for a body that maps to nothing. Logs carry no personal data: no ids of users, no
 * bodies, no addresses.
 */
public final class WebhookHandler implements HttpRequestHandler {
    private static final Logger log = LoggerFactory.getLogger(WebhookHandler.class);
    private static final Duration PROBLEM_LOG_INTERVAL = Duration.ofMinutes(1);

    private final ObjectMapper json;
    private final WebhookSignature signature;
    private final VerifyToken verifyToken;
    private final WebhookMapper mapper;
    private final InteractionPublisher publisher;
    private final IntakeMetrics metrics;
    private final int maxBodyBytes;
    private final ThrottledLog problems = new ThrottledLog(log, PROBLEM_LOG_INTERVAL, System::nanoTime);

    public WebhookHandler(
            WebhookSignature signature,
            VerifyToken verifyToken,
            WebhookMapper mapper,
            InteractionPublisher publisher,
            IntakeMetrics metrics,
            int maxBodyBytes) {
        this.signature = signature;
        this.verifyToken = verifyToken;
        this.mapper = mapper;
        this.publisher = publisher;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        // The body is bounded by maxBodyBytes; nesting is bounded too, so a deep body cannot exhaust the stack.
        this.json = new ObjectMapper(JsonFactory.builder()
                .streamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(64).build())
                .build());
    }

    @Override
    public void handle(ClassicHttpRequest request, ClassicHttpResponse response, HttpContext context)
            throws IOException {
        switch (request.getMethod()) {
            case "GET" -> verify(request, response);
            case "POST" -> receive(request, response);
            default -> {
                metrics.request(RequestOutcome.REFUSED);
                answer(response, HttpStatus.SC_METHOD_NOT_ALLOWED, "method not allowed");
                response.setHeader(HttpHeaders.ALLOW, "GET, POST");
            }
        }
    }

    private void verify(ClassicHttpRequest request, ClassicHttpResponse response) {
        String path = request.getPath();
        int query = path.indexOf('?');
        List<NameValuePair> parameters =
                query < 0 ? List.of() : WWWFormCodec.parse(path.substring(query + 1), StandardCharsets.UTF_8);
        String challenge = verifyToken.challenge(
                value(parameters, "hub.mode"),
                value(parameters, "hub.verify_token"),
                value(parameters, "hub.challenge"));
        if (challenge == null) {
            metrics.request(RequestOutcome.VERIFICATION_REFUSED);
            problems.warn("verification", 1, "Refused a verification request (wrong mode or verify token)");
            answer(response, HttpStatus.SC_FORBIDDEN, "forbidden");
            return;
        }
        metrics.request(RequestOutcome.VERIFIED);
        log.info("Answered Meta's verification request");
        response.setCode(HttpStatus.SC_OK);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setEntity(new StringEntity(challenge, ContentType.TEXT_PLAIN));
    }

    private static String value(List<NameValuePair> parameters, String name) {
        return parameters.stream()
                .filter(parameter -> parameter.getName().equals(name))
                .map(NameValuePair::getValue)
                .findFirst()
                .orElse(null);
    }

    private void receive(ClassicHttpRequest request, ClassicHttpResponse response) throws IOException {
        byte[] body = readBounded(request.getEntity());
        if (body == null) {
            metrics.request(RequestOutcome.TOO_LARGE);
            problems.warn("too-large", 1, "Refused a webhook body over webhook.max-body-bytes=" + maxBodyBytes);
            answer(response, HttpStatus.SC_REQUEST_TOO_LONG, "body too large");
            // The rest of the body is not read: the connection cannot be reused.
            response.setHeader(HttpHeaders.CONNECTION, "close");
            return;
        }
        Header header = request.getFirstHeader(WebhookSignature.HEADER);
        WebhookSignature.Verdict verdict = signature.verify(body, header == null ? null : header.getValue());
        if (verdict != WebhookSignature.Verdict.VALID) {
            metrics.request(RequestOutcome.SIGNATURE_REFUSED);
            metrics.signatureFailure(verdict);
            problems.warn("signature:" + verdict.label(), 1, "Refused a webhook POST: signature " + verdict.label());
            answer(response, HttpStatus.SC_FORBIDDEN, "forbidden");
            return;
        }
        MappedRequest mapped;
        try {
            mapped = mapper.map(json.readTree(body));
        } catch (JsonProcessingException | MalformedWebhookException e) {
            metrics.request(RequestOutcome.MALFORMED);
            // Jackson's message may quote the body: only the type is logged.
            problems.warn("malformed-body", 1, "Refused a signed webhook POST that is not a webhook: " + describe(e));
            answer(response, HttpStatus.SC_BAD_REQUEST, "not a Messenger webhook");
            return;
        }
        logUnmapped(mapped);
        if (mapped.interactions().isEmpty() && mapped.rejected().isEmpty()) {
            metrics.items(mapped.outcomes());
            metrics.request(RequestOutcome.NOTHING_TO_PUBLISH);
            answer(response, HttpStatus.SC_OK, "EVENT_RECEIVED");
            return;
        }
        try {
            publisher.publishAll(mapped.interactions(), mapped.rejected());
        } catch (PublishFailedException e) {
            metrics.request(RequestOutcome.PUBLISH_FAILED);
            problems.warn("publish-failed", 1, "Answered 503 to a webhook, Meta will retry it: " + e.getMessage());
            answer(response, HttpStatus.SC_SERVICE_UNAVAILABLE, "try again");
            return;
        }
        // Counted once published, so that a retried webhook is not counted twice.
        metrics.items(mapped.outcomes());
        metrics.published(mapped.interactions().size(), mapped.rejected().size());
        metrics.request(RequestOutcome.PUBLISHED);
        answer(response, HttpStatus.SC_OK, "EVENT_RECEIVED");
    }

    /** The body, or null when it is larger than the cap (then left unread past the cap). */
    private byte[] readBounded(HttpEntity entity) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        if (entity.getContentLength() > maxBodyBytes) {
            return null;
        }
        try (InputStream in = entity.getContent()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            return body.length > maxBodyBytes ? null : body;
        }
    }

    private void logUnmapped(MappedRequest mapped) {
        for (String unknown : mapped.unknownPages()) {
            // Only numeric ids are quoted: the body is signed, but a log line is no place for arbitrary text.
            String page = unknown.matches("[0-9]{1,32}") ? unknown : "(not numeric)";
            problems.warn(
                    "page:" + page,
                    1,
                    "Left out the items of page " + page + ": it has no messenger.page." + page + ".* configuration");
        }
        for (ItemOutcome outcome : List.of(ItemOutcome.MALFORMED, ItemOutcome.UNSUPPORTED)) {
            if (mapped.count(outcome) > 0) {
                problems.warn(
                        outcome.label(),
                        mapped.count(outcome),
                        outcome == ItemOutcome.MALFORMED
                                ? "Dead-lettered malformed webhook items ("
                                        + RejectionReason.WEBHOOK_ITEM_MALFORMED.name() + ")"
                                : "Left out webhook items as " + outcome.label());
            }
        }
    }

    private static String describe(Exception e) {
        return e instanceof MalformedWebhookException
                ? e.getMessage()
                : e.getClass().getSimpleName();
    }

    private static void answer(ClassicHttpResponse response, int status, String text) {
        response.setCode(status);
        response.setEntity(new StringEntity(text, ContentType.TEXT_PLAIN));
    }
}
