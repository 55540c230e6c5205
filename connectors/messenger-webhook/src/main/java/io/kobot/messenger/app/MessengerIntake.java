package io.kobot.messenger.app;

import io.kobot.kochava.Pii;
import io.kobot.messenger.config.IntakeConfig;
import io.kobot.messenger.http.HttpEndpoint;
import io.kobot.messenger.http.IntakeMetrics;
import io.kobot.messenger.http.ObservabilityHandler;
import io.kobot.messenger.http.VerifyToken;
import io.kobot.messenger.http.WebhookHandler;
import io.kobot.messenger.http.WebhookSignature;
import io.kobot.messenger.mapping.WebhookMapper;
import io.kobot.messenger.publish.BrokerProbe;
import io.kobot.messenger.publish.KafkaInteractionPublisher;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running intake: the webhook endpoint, its producer, and the metrics and health endpoints. */
public final class MessengerIntake implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MessengerIntake.class);
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);
    /** Scrapers and probes: a few at a time; more only queue, they cannot take threads from anything else. */
    private static final int OBSERVABILITY_CONNECTIONS = 16;

    private final IntakeConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final KafkaInteractionPublisher publisher;
    private final BrokerProbe probe;
    private HttpEndpoint webhook;
    private HttpEndpoint observability;
    private boolean closed;

    public MessengerIntake(IntakeConfig config) {
        this.config = config;
        Pii.useKey(config.piiMaskKey());
        this.publisher = new KafkaInteractionPublisher(
                config.bootstrapServers(),
                config.kafkaProperties(),
                config.schemaRegistryConfig(),
                config.interactionsTopic(),
                config.deadLetterTopic(),
                config.publishTimeout(),
                config.partitioner());
        this.probe = new BrokerProbe(
                config.bootstrapServers(), config.kafkaProperties(), config.interactionsTopic(), PROBE_INTERVAL);
    }

    public synchronized void start() throws IOException {
        WebhookHandler handler = new WebhookHandler(
                new WebhookSignature(config.appSecret().value()),
                new VerifyToken(config.verifyToken().value()),
                new WebhookMapper(config.pages()),
                publisher,
                new IntakeMetrics(registry),
                config.maxBodyBytes());
        if (config.httpPort() != 0) {
            observability = HttpEndpoint.start(
                    config.httpPort(),
                    "*",
                    new ObservabilityHandler(registry, probe::problem),
                    OBSERVABILITY_CONNECTIONS);
            log.info("Serving /metrics, /health/live and /health/ready on port {}", observability.port());
        }
        webhook = HttpEndpoint.start(config.webhookPort(), config.webhookPath(), handler, config.maxConnections());
        log.info(
                "Messenger webhook on port {} at {} for {} page(s), publishing to {}",
                webhook.port(),
                config.webhookPath(),
                config.pages().size(),
                config.interactionsTopic());
    }

    /** The webhook's port (useful with {@code webhook.port=0}). */
    public int webhookPort() {
        return webhook.port();
    }

    /** The port of the metrics and health endpoints, or 0 when they are off. */
    public int httpPort() {
        return observability == null ? 0 : observability.port();
    }

    /**
     * Within {@code shutdown.timeout}: stops taking webhooks and lets requests in flight be answered (half of it),
     * then flushes the producer (the rest). A request cut off unanswered is retried by Meta. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Duration timeout = config.shutdownTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        if (webhook != null) {
            webhook.close(timeout.dividedBy(2));
        }
        publisher.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        probe.close();
        if (observability != null) {
            observability.close(Duration.ZERO);
        }
        registry.close();
        log.info("Messenger webhook intake closed");
    }
}
