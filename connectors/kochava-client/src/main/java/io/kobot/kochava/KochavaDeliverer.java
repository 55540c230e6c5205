package io.kobot.kochava;

import io.kobot.schema.DeliveryOutcome;
import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;
import io.kobot.schema.InteractionType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers engagements to Kochava: builds the request, sends it, and retries transient failures with
 * {@link RetryPolicy} until it succeeds, fails permanently or max-retry-time runs out. Everything is asynchronous:
 * no method blocks the caller except {@link #close}, and waits between attempts run on an internal scheduler.
 *
 * <p>At most {@code delivery.max-in-flight} POSTs and, apart from them, {@code delivery.ping.max-in-flight} pings
 * are in flight at once; further attempts wait in a FIFO queue of their kind, so slow tracking hosts cannot hold
 * up events. A host name that does not resolve is tried {@value #UNRESOLVED_ATTEMPTS} times, then given up as
 * permanent.
 * With {@code delivery.rate-limit.per-app}, each app's attempts first wait for its token bucket, without holding an
 * in-flight slot, so one app's backlog does not hold up the others' requests.
 *
 * <p>Result futures complete on internal threads (HTTP I/O or scheduler): dependent stages must not block. They
 * complete exceptionally only with {@link DeliveryAbortedException}, when the deliverer closes first.
 */
public final class KochavaDeliverer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KochavaDeliverer.class);

    /** Attempts on a host name that does not resolve, before the failure counts as permanent. */
    static final int UNRESOLVED_ATTEMPTS = 3;

    private final KochavaClientConfig config;
    private final KochavaRequests requests;
    private final KochavaClient client;
    private final DeliveryMetrics metrics;
    private final Clock clock;
    private final RetryPolicy retryPolicy;
    private final AppRateLimiter rateLimiter;
    private final ScheduledExecutorService scheduler;
    private final InFlightLimiter inFlight;
    private final InFlightLimiter pingsInFlight;
    private final Set<Delivery> unfinished = ConcurrentHashMap.newKeySet();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    public KochavaDeliverer(KochavaClientConfig config, DeliveryMetrics metrics) {
        this(config, metrics, SystemDefaultDnsResolver.INSTANCE);
    }

    /** @param dnsResolver resolves host names (a test's stand-in); its answers are checked as any */
    KochavaDeliverer(KochavaClientConfig config, DeliveryMetrics metrics, DnsResolver dnsResolver) {
        this(config, metrics, dnsResolver, null);
    }

    /** @param sslContext whom TLS connections trust (a test's own CA); null for the JVM's default trust store */
    KochavaDeliverer(
            KochavaClientConfig config, DeliveryMetrics metrics, DnsResolver dnsResolver, SSLContext sslContext) {
        this.config = config;
        this.requests = new KochavaRequests(config);
        this.clock = Clock.systemUTC();
        this.client = new KochavaClient(config, clock, dnsResolver, sslContext);
        this.metrics = metrics;
        this.retryPolicy = RetryPolicy.from(config);
        this.rateLimiter = new AppRateLimiter(config.rateLimitPerApp(), System::nanoTime);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kochava-delivery-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        // A freed slot's next attempt starts where its exchange starts: one thread hop, not two.
        this.inFlight = new InFlightLimiter(config.maxInFlight(), client.dispatcher(KochavaRequest.Kind.EVENT));
        this.pingsInFlight = new InFlightLimiter(config.pingMaxInFlight(), client.dispatcher(KochavaRequest.Kind.PING));
    }

    public KochavaClientConfig config() {
        return config;
    }

    /**
     * Delivers one engagement: a POST for an EVENT, a GET on the tracking URL for an IMPRESSION or CLICK. An
     * engagement that cannot be sent as it is (see {@link InvalidEngagementException}) is REJECTED without attempt.
     *
     * @throws IllegalStateException when closed
     */
    public CompletableFuture<DeliveryResult> deliver(Engagement engagement) {
        ensureOpen();
        KochavaRequest request;
        try {
            request = requests.forEngagement(engagement);
        } catch (InvalidEngagementException e) {
            return CompletableFuture.completedFuture(unsendable(e));
        }
        return start(request);
    }

    /**
     * Delivers several engagements, with results in the same order. In {@link BodyMode#OBJECT} this is
     * {@link #deliver} for each. In {@link BodyMode#ARRAY} the EVENTs of each app go as one JSON array in one POST
     * and share its result; impressions and clicks are pinged one by one.
     *
     * @throws IllegalStateException when closed
     */
    public CompletableFuture<List<DeliveryResult>> deliverAll(List<Engagement> engagements) {
        List<CompletableFuture<DeliveryResult>> results = deliverEach(engagements);
        return CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0]))
                .thenApply(done -> results.stream().map(CompletableFuture::join).toList());
    }

    /**
     * Like {@link #deliverAll}, but with one future per engagement, so that each outcome can be handled as soon as
     * it is known. In {@link BodyMode#ARRAY} the events of one app share one future (one request).
     *
     * <p>Cancelling a future ({@code cancel}) ends its delivery: no further attempt or retry is made; a request
     * already on the wire is left to end, and its answer is ignored.
     *
     * @throws IllegalStateException when closed
     */
    public List<CompletableFuture<DeliveryResult>> deliverEach(List<Engagement> engagements) {
        ensureOpen();
        List<CompletableFuture<DeliveryResult>> results = new ArrayList<>(engagements.size());
        Map<String, List<Integer>> eventsByApp = new LinkedHashMap<>();
        for (int i = 0; i < engagements.size(); i++) {
            Engagement engagement = engagements.get(i);
            results.add(null);
            if (config.bodyMode() == BodyMode.ARRAY && engagement.getType() == InteractionType.EVENT) {
                try {
                    // Validates it alone, so that one bad event does not sink the batch.
                    requests.event(engagement);
                    eventsByApp
                            .computeIfAbsent(engagement.getKochavaAppId(), app -> new ArrayList<>())
                            .add(i);
                } catch (InvalidEngagementException e) {
                    results.set(i, CompletableFuture.completedFuture(unsendable(e)));
                }
            } else {
                results.set(i, deliver(engagement));
            }
        }
        for (List<Integer> indexes : eventsByApp.values()) {
            List<Engagement> batch = new ArrayList<>(indexes.size());
            indexes.forEach(i -> batch.add(engagements.get(i)));
            CompletableFuture<DeliveryResult> result = start(requests.eventBatch(batch));
            indexes.forEach(i -> results.set(i, result));
        }
        return results;
    }

    /**
     * Forwards an identity link to Kochava's IdentityLink endpoint for {@code appId}, with the same retries, rate
     * limit and in-flight bound as events. A link that cannot be sent (no device identifier) is REJECTED without
     * attempt.
     *
     * @throws IllegalStateException when closed, or when {@code kochava.identity-link.forward} is false
     */
    public CompletableFuture<DeliveryResult> deliverIdentityLink(String appId, IdentityLink link) {
        ensureOpen();
        if (!config.forwardIdentityLinks())
            throw new IllegalStateException(KochavaClientConfig.FORWARD_IDENTITY_LINKS + " is false");
        KochavaRequest request;
        try {
            request = requests.identityLink(appId, link);
        } catch (InvalidEngagementException e) {
            return CompletableFuture.completedFuture(unsendable(e));
        }
        return start(request);
    }

    /** The connections of the pool that carries {@code kind}'s requests (events and links share one). */
    public ConnectionCounts connections(KochavaRequest.Kind kind) {
        return client.connectionCounts(kind);
    }

    /** Requests in flight now, POSTs and pings. */
    public int inFlight() {
        return inFlight.active() + pingsInFlight.active();
    }

    /** Attempts waiting for an in-flight slot now, POSTs and pings. */
    public int queued() {
        return inFlight.waiting() + pingsInFlight.waiting();
    }

    /**
     * The size of the requests of the deliveries not ended yet (in flight, waiting for a slot or a retry): body
     * lengths for POSTs, URL lengths for pings. An array POST counts once for all its engagements. The memory a
     * caller's pending records take is this plus what the caller keeps for each.
     */
    public long pendingBytes() {
        return pendingBytes.get();
    }

    /** Closes, draining for at most connect-timeout plus request-timeout: as long as one attempt can take. */
    @Override
    public void close() {
        close(config.connectTimeout().plus(config.requestTimeout()));
    }

    /**
     * Stops taking deliveries, lets requests in flight end within {@code drainTimeout}, then stops. A delivery that
     * has not ended by then, because it waits for a retry or its request did not finish, completes with
     * {@link DeliveryAbortedException}; so does one whose last in-flight attempt failed transiently.
     */
    public void close(Duration drainTimeout) {
        if (!closed.compareAndSet(false, true)) return;
        boolean drained = false;
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        try {
            drained = inFlight.awaitIdle(drainTimeout)
                    && pingsInFlight.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inFlight.clearWaiting();
        pingsInFlight.clearWaiting();
        for (Delivery delivery : unfinished) delivery.abort();
        scheduler.shutdownNow();
        if (drained) {
            client.close();
        } else {
            log.warn(
                    "Closing with {} Kochava requests still in flight after {} ms",
                    inFlight(),
                    drainTimeout.toMillis());
            client.closeNow();
        }
    }

    private void ensureOpen() {
        if (closed.get()) throw new IllegalStateException("The Kochava deliverer is closed");
    }

    private CompletableFuture<DeliveryResult> start(KochavaRequest request) {
        Delivery delivery = new Delivery(request);
        unfinished.add(delivery);
        pendingBytes.addAndGet(delivery.size);
        delivery.nextAttempt();
        return delivery.result;
    }

    private DeliveryResult unsendable(InvalidEngagementException e) {
        Instant now = clock.instant();
        DeliveryResult result = new DeliveryResult(DeliveryOutcome.REJECTED, null, 0, now, now, e.getMessage());
        metrics.rejected(result);
        return result;
    }

    /**
     * The state of one delivery. Its attempts run one after another, each handing over to the next through the
     * scheduler, the in-flight limiter or a completed future, which order the field updates between threads.
     */
    private final class Delivery {
        private final KochavaRequest request;
        private final InFlightLimiter limiter;
        private final CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
        private final long size;
        private int attempts;
        private int unresolved;
        private Instant firstAttemptAt;

        Delivery(KochavaRequest request) {
            this.request = request;
            this.size = request.body() != null
                    ? request.body().length()
                    : request.uri().toString().length();
            this.limiter = request.kind() == KochavaRequest.Kind.PING ? pingsInFlight : inFlight;
        }

        void nextAttempt() {
            if (cancelled()) return;
            if (closed.get()) {
                abort();
                return;
            }
            long rateWaitNanos = rateLimiter.reserve(request.appId());
            if (rateWaitNanos > 0) schedule(this::enqueue, rateWaitNanos);
            else enqueue();
        }

        private void enqueue() {
            if (cancelled()) return;
            if (closed.get()) abort();
            else limiter.submit(this::send);
        }

        private void send() {
            if (cancelled()) {
                limiter.release();
                return;
            }
            if (closed.get()) {
                limiter.release();
                abort();
                return;
            }
            attempts++;
            metrics.requestStarted();
            log.trace("Sending {}, attempt {}", request, attempts);
            client.send(request).whenComplete((attempt, error) -> {
                AttemptResult outcome = attempt != null
                        ? attempt
                        : ResponseClassifier.classifyFailure(error, clock.instant(), clock.instant());
                metrics.requestEnded(outcome);
                try {
                    handle(outcome);
                } finally {
                    // Only once the outcome is recorded: close() drains by waiting for in-flight requests to
                    // end, and must not abort a delivery whose last attempt has just succeeded.
                    limiter.release();
                }
            });
        }

        private void handle(AttemptResult attempt) {
            if (firstAttemptAt == null) firstAttemptAt = attempt.startedAt();
            switch (attempt.verdict()) {
                case SUCCESS:
                    finish(DeliveryOutcome.DELIVERED, attempt);
                    return;
                case PERMANENT:
                    finish(DeliveryOutcome.REJECTED, attempt);
                    return;
                case UNRESOLVED:
                    if (++unresolved >= UNRESOLVED_ATTEMPTS) {
                        finish(DeliveryOutcome.REJECTED, attempt);
                        return;
                    }
                    break;
                default:
                    break;
            }
            if (cancelled()) return;
            if (closed.get()) {
                abort();
                return;
            }
            Optional<Duration> delay =
                    retryPolicy.nextDelay(attempts, firstAttemptAt, clock.instant(), attempt.retryAfter());
            if (delay.isEmpty()) {
                finish(DeliveryOutcome.RETRIES_EXHAUSTED, attempt);
                return;
            }
            metrics.retryScheduled();
            log.debug(
                    "{} failed transiently ({}), retrying in {} ms",
                    request,
                    scrub(attempt.detail()),
                    delay.get().toMillis());
            schedule(this::nextAttempt, delay.get().toNanos());
        }

        private void finish(DeliveryOutcome outcome, AttemptResult last) {
            DeliveryResult delivery = new DeliveryResult(
                    outcome,
                    last.httpStatus(),
                    attempts,
                    firstAttemptAt,
                    last.endedAt(),
                    outcome == DeliveryOutcome.DELIVERED ? null : scrub(last.detail()));
            ended();
            switch (outcome) {
                case DELIVERED:
                    metrics.delivered(delivery);
                    break;
                case REJECTED:
                    metrics.rejected(delivery);
                    break;
                default:
                    metrics.retriesExhausted(delivery);
                    break;
            }
            log.debug("{}: {} after {} attempt(s), status {}", request, outcome, attempts, last.httpStatus());
            result.complete(delivery);
        }

        /** True when the caller cancelled the result: the delivery then stops where it is. */
        private boolean cancelled() {
            if (!result.isCancelled()) return false;
            unfinished.remove(this);
            return true;
        }

        void abort() {
            ended();
            result.completeExceptionally(new DeliveryAbortedException(
                    "Closed before delivery ended, after " + attempts + " attempt(s): " + request));
        }

        /** Once per delivery, whichever way it ends. */
        private void ended() {
            if (unfinished.remove(this)) pendingBytes.addAndGet(-size);
        }

        private void schedule(Runnable task, long delayNanos) {
            try {
                scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                abort();
            }
        }

        /** Error texts may echo the request; fb_user_id must not reach logs or dead letters. */
        private String scrub(String text) {
            return Pii.scrub(text, request.personalValues());
        }
    }
}
