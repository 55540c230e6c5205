package io.kobot.devstack.kochava;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.nio.AsyncRequestConsumer;
import org.apache.hc.core5.http.nio.AsyncResponseProducer;
import org.apache.hc.core5.http.nio.AsyncServerRequestHandler;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicRequestConsumer;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Answers each request on the I/O thread: a POST to the IdentityLink path is an identity link, any other POST an
 * engagement, a GET outside {@code /stand-in/} a ping, a GET under it the read-only control endpoint. Counts and logs the request as it arrives, then answers it at once or,
 * with a latency, from the timer thread when due (the I/O thread never waits).
 */
final class StandInHandler implements AsyncServerRequestHandler<Message<HttpRequest, byte[]>> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Behaviour behaviour;
    private final String eventIdField;
    private final Supplier<ReceiptCounter> counter;
    private final RequestLog log;
    private final ScheduledExecutorService scheduler;
    private final Queue<ReceivedIdentityLink> identityLinks = new ConcurrentLinkedQueue<>();

    StandInHandler(
            Behaviour behaviour,
            String eventIdField,
            Supplier<ReceiptCounter> counter,
            RequestLog log,
            ScheduledExecutorService scheduler) {
        this.behaviour = behaviour;
        this.eventIdField = eventIdField;
        this.counter = counter;
        this.log = log;
        this.scheduler = scheduler;
    }

    /** The IdentityLink requests accepted so far, oldest first. */
    List<ReceivedIdentityLink> identityLinks() {
        return List.copyOf(identityLinks);
    }

    @Override
    public AsyncRequestConsumer<Message<HttpRequest, byte[]>> prepare(
            HttpRequest request, EntityDetails entityDetails, HttpContext context) {
        return new BasicRequestConsumer<>(new BasicAsyncEntityConsumer());
    }

    @Override
    public void handle(Message<HttpRequest, byte[]> message, ResponseTrigger trigger, HttpContext context)
            throws HttpException, IOException {
        long millis = System.currentTimeMillis();
        long nanos = System.nanoTime();
        HttpRequest request = message.getHead();
        String method = request.getMethod();
        String target = request.getPath() == null ? "/" : request.getPath();
        int queryAt = target.indexOf('?');
        String path = queryAt < 0 ? target : target.substring(0, queryAt);
        String query = queryAt < 0 ? null : target.substring(queryAt + 1);
        byte[] body = message.getBody() == null ? new byte[0] : message.getBody();

        if (path.startsWith(KochavaStandIn.CONTROL_PATH)) {
            trigger.submitResponse(control(method, path), context);
            return;
        }
        if ("POST".equals(method) && path.equals(KochavaStandIn.IDENTITY_LINK_PATH)) {
            Answer answer = answerIdentityLink(body, millis);
            if (log.enabled()) {
                log.add(new ReceivedRequest(
                        method,
                        path,
                        query,
                        new String(body, StandardCharsets.UTF_8),
                        EngagementBody.parse(body).json(),
                        answer.status(),
                        millis));
            }
            respond(answer.producer(), trigger, context);
            return;
        }
        EngagementBody engagement = "POST".equals(method) ? EngagementBody.parse(body) : null;
        Answer answer;
        if (engagement != null) {
            answer = answerEvents(engagement, millis, nanos);
        } else if ("GET".equals(method)) {
            answer = answerPing(path, millis, nanos);
        } else {
            counter.get().failedAnswer();
            answer = new Answer(405, Responses.status(405, "POST an engagement or GET a tracking URL"));
        }
        if (log.enabled()) {
            log.add(new ReceivedRequest(
                    method,
                    path,
                    query,
                    new String(body, StandardCharsets.UTF_8),
                    engagement == null ? null : engagement.json(),
                    answer.status(),
                    millis));
        }
        respond(answer.producer(), trigger, context);
    }

    private record Answer(int status, AsyncResponseProducer producer) {}

    private Answer answerEvents(EngagementBody engagement, long millis, long nanos) {
        List<String> ids = engagement.eventIds(eventIdField);
        Fault fault = behaviour.forEvents(engagement, ids);
        if (fault != null) {
            counter.get().failedAnswer();
            return new Answer(statusOf(fault), Responses.fault(fault, scheduler));
        }
        ReceiptCounter receipts = counter.get();
        if (ids.isEmpty()) {
            receipts.unattributed();
        }
        for (String id : ids) {
            if (id == null) {
                receipts.unattributed();
            } else {
                receipts.received(id, millis, nanos);
            }
        }
        return new Answer(200, Responses.eventAccepted());
    }

    /** An IdentityLink request: kept when well formed and not faulted; never counted as an engagement receipt. */
    private Answer answerIdentityLink(byte[] body, long millis) {
        Fault fault = behaviour.forIdentityLink();
        if (fault != null) {
            return new Answer(statusOf(fault), Responses.fault(fault, scheduler));
        }
        ReceivedIdentityLink link = IdentityLinkBody.parse(body, millis);
        if (link == null) {
            return new Answer(
                    400, Responses.status(400, "An IdentityLink request needs kochava_app_id, device_id and data"));
        }
        identityLinks.add(link);
        return new Answer(200, Responses.eventAccepted());
    }

    private Answer answerPing(String path, long millis, long nanos) {
        String id = lastSegment(path);
        Fault fault = behaviour.forPing(id);
        if (fault != null) {
            counter.get().failedAnswer();
            return new Answer(statusOf(fault), Responses.fault(fault, scheduler));
        }
        if (id == null) {
            counter.get().unattributed();
        } else {
            counter.get().received(id, millis, nanos);
        }
        return new Answer(302, Responses.pingAnswered());
    }

    /** The interaction a tracking URL names: its last path segment ({@code /ping/42}, {@code /t/abc}). */
    private static String lastSegment(String path) {
        String segment = path.substring(path.lastIndexOf('/') + 1);
        if (segment.isEmpty()) {
            return null;
        }
        try {
            return URLDecoder.decode(segment, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }

    private static int statusOf(Fault fault) {
        if (fault instanceof Fault.ServerError error) {
            return error.status();
        } else if (fault instanceof Fault.Throttle) {
            return 429;
        } else if (fault instanceof Fault.Reject reject) {
            return reject.status();
        } else if (fault instanceof Fault.Redirect redirect) {
            return redirect.status();
        }
        return 200;
    }

    private void respond(AsyncResponseProducer producer, ResponseTrigger trigger, HttpContext context)
            throws HttpException, IOException {
        Duration latency = behaviour.latency();
        if (latency.isZero()) {
            trigger.submitResponse(producer, context);
            return;
        }
        scheduler.schedule(
                () -> {
                    try {
                        trigger.submitResponse(producer, context);
                    } catch (HttpException | IOException | RuntimeException e) {
                        producer.failed(e); // the client went away meanwhile
                    }
                },
                latency.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    private AsyncResponseProducer control(String method, String path) throws IOException {
        if (!"GET".equals(method)) {
            return Responses.status(405, "The control endpoint is read-only");
        }
        if (path.equals(KochavaStandIn.HEALTH_PATH)) {
            return Responses.status(200, "ok");
        }
        if (path.equals(KochavaStandIn.REQUESTS_PATH)) {
            return Responses.json(MAPPER.writeValueAsBytes(requestsAsJson(log.snapshot())));
        }
        return Responses.status(404, "GET " + KochavaStandIn.HEALTH_PATH + " or " + KochavaStandIn.REQUESTS_PATH);
    }

    private static ArrayNode requestsAsJson(List<ReceivedRequest> requests) {
        ArrayNode array = MAPPER.createArrayNode();
        for (ReceivedRequest request : new ArrayList<>(requests)) {
            ObjectNode node = array.addObject()
                    .put("method", request.method())
                    .put("path", request.path())
                    .put("query", request.query());
            if (request.json() != null) {
                node.set("body", request.json());
            } else {
                node.put("body", request.body());
            }
            node.put("status", request.status()).put("received_at_millis", request.receivedAtMillis());
        }
        return array;
    }
}
