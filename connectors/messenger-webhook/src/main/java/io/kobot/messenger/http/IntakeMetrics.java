package io.kobot.messenger.http;

import io.kobot.messenger.mapping.ItemOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The intake's counters, every one registered at start (at 0) so dashboards and alerts see them before the first
 * webhook: {@code kobot_messenger_requests_total{outcome}}, {@code kobot_messenger_items_total{mapping}},
 * {@code kobot_messenger_signature_failures_total{reason}} and {@code kobot_messenger_records_published_total}.
 */
public final class IntakeMetrics {
    private final Map<RequestOutcome, Counter> requests = new EnumMap<>(RequestOutcome.class);
    private final Map<ItemOutcome, Counter> items = new EnumMap<>(ItemOutcome.class);
    private final Map<WebhookSignature.Verdict, Counter> signatureFailures =
            new EnumMap<>(WebhookSignature.Verdict.class);
    private final Counter published;
    private final Counter deadLettered;

    public IntakeMetrics(MeterRegistry registry) {
        for (RequestOutcome outcome : RequestOutcome.values()) {
            requests.put(
                    outcome,
                    Counter.builder("kobot.messenger.requests")
                            .description("Webhook requests by how they were answered")
                            .tag("outcome", outcome.label())
                            .register(registry));
        }
        for (ItemOutcome outcome : ItemOutcome.values()) {
            items.put(
                    outcome,
                    Counter.builder("kobot.messenger.items")
                            .description("Webhook items (delivered message ids, for deliveries) by mapping")
                            .tag("mapping", outcome.label())
                            .register(registry));
        }
        for (WebhookSignature.Verdict verdict : WebhookSignature.Verdict.values()) {
            if (verdict != WebhookSignature.Verdict.VALID) {
                signatureFailures.put(
                        verdict,
                        Counter.builder("kobot.messenger.signature.failures")
                                .description("POSTs refused for their X-Hub-Signature-256")
                                .tag("reason", verdict.label())
                                .register(registry));
            }
        }
        published = Counter.builder("kobot.messenger.records.published")
                .description("BotInteraction records acknowledged by the broker")
                .register(registry);
        deadLettered = Counter.builder("kobot.messenger.dead.letters")
                .description("Malformed webhook items written to the dead-letter topic and acknowledged")
                .register(registry);
    }

    public void request(RequestOutcome outcome) {
        requests.get(outcome).increment();
    }

    public void items(Map<ItemOutcome, Integer> counts) {
        counts.forEach((outcome, count) -> items.get(outcome).increment(count));
    }

    public void signatureFailure(WebhookSignature.Verdict verdict) {
        Counter counter = signatureFailures.get(verdict);
        if (counter != null) {
            counter.increment();
        }
    }

    public void published(int records, int deadLetters) {
        published.increment(records);
        deadLettered.increment(deadLetters);
    }
}
