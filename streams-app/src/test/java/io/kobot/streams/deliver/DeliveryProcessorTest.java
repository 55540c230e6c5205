package io.kobot.streams.deliver;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.kobot.kochava.KochavaClientConfig;
import io.kobot.kochava.KochavaDeliverer;
import io.kobot.registry.SchemaRegistryClients;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.DeliveryOutcome;
import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;
import io.kobot.schema.InteractionType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One task's delivery processor on a real outbox store and a real HTTP endpoint: per-engagement completion,
 * cancellation on close, the shutdown gate, and outbox entries that cannot be read back.
 */
class DeliveryProcessorTest {
    private static final String TRACK = "/track/json";
    private static final String OK = "{\"success\":\"1\"}";
    private static final String TOPIC = "bot.engagements";
    private static final String LINKS_TOPIC = "bot.identity-links";
    private static final String IDENTITY_LINK = "/v1/cpi/identityLink.php";

    @RegisterExtension
    static final WireMockExtension KOCHAVA = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private final String scope = "processor-test-" + UUID.randomUUID();
    private final SpecificAvroSerde<Engagement> serde =
            SpecificAvroSerde.of(Engagement.class, Map.of("schema.registry.url", "mock://" + scope), false);
    private final SpecificAvroSerde<IdentityLink> linkSerde =
            SpecificAvroSerde.of(IdentityLink.class, Map.of("schema.registry.url", "mock://" + scope), false);
    private final DeliveryStatistics statistics = new DeliveryStatistics();
    private final KochavaDeliverer deliverer = new KochavaDeliverer(
            KochavaClientConfig.from(Map.of(
                    KochavaClientConfig.ENDPOINT,
                    KOCHAVA.baseUrl() + TRACK,
                    KochavaClientConfig.ALLOW_PRIVATE_ADDRESSES,
                    true, // WireMock listens on loopback
                    KochavaClientConfig.RETRY_INITIAL_BACKOFF,
                    10,
                    KochavaClientConfig.RETRY_MAX_BACKOFF,
                    20,
                    KochavaClientConfig.FORWARD_IDENTITY_LINKS,
                    true,
                    KochavaClientConfig.IDENTITY_LINK_ENDPOINT,
                    KOCHAVA.baseUrl() + IDENTITY_LINK,
                    KochavaClientConfig.IDENTITY_LINK_DEFAULT_APP_ID,
                    "default-app")),
            statistics);
    private final DeliveryGate gate = new DeliveryGate();
    private final KeyValueStore<Long, OutboxEntry> outbox = Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(KochavaDeliverySink.OUTBOX_STORE), Serdes.Long(), OutboxEntry.serde())
            .withLoggingDisabled()
            .build();
    private final MockProcessorContext<byte[], DeliveryOutput> context = new MockProcessorContext<>();
    private DeliveryProcessor processor;

    @AfterEach
    void close() {
        deliverer.close(Duration.ofSeconds(1));
        SchemaRegistryClients.dropMockScope(scope);
    }

    private DeliveryProcessor start(Map<String, Object> settings) {
        openOutbox(outbox);
        return startProcessor(settings, deliverer);
    }

    /** Opens the outbox and hands the context {@code registered}: the outbox itself or a wrapper of it. */
    private void openOutbox(StateStore registered) {
        context.setCurrentSystemTimeMs(System.currentTimeMillis());
        outbox.init(context.getStateStoreContext(), outbox);
        context.addStateStore(registered);
    }

    /** A processor on the opened outbox, delivering with {@code using}; no batch linger unless {@code settings} say. */
    private DeliveryProcessor startProcessor(Map<String, Object> settings, KochavaDeliverer using) {
        Map<String, Object> all = new HashMap<>(Map.of(DeliverySettings.BATCH_LINGER, 0));
        all.putAll(settings);
        processor = new DeliveryProcessor(
                DeliverySettings.from(all),
                using,
                statistics,
                serde,
                TOPIC,
                linkSerde,
                LINKS_TOPIC,
                new ThreadLocal<>(),
                gate);
        processor.init(context);
        return processor;
    }

    @Test
    void eachOutcomeIsWrittenOnItsOwnWhileOneEngagementKeepsRetrying() {
        KOCHAVA.stubFor(post(TRACK).atPriority(10).willReturn(okJson(OK)));
        KOCHAVA.stubFor(
                post(TRACK).atPriority(1).withRequestBody(containing("e-slow")).willReturn(serviceUnavailable()));
        start(Map.of(DeliverySettings.BATCH_MAX_EVENTS, 10, DeliverySettings.BATCH_LINGER, 10_000));
        for (String id : List.of("e-0", "e-1", "e-slow", "e-2", "e-3", "e-4", "e-5", "e-6", "e-7", "e-8")) {
            processor.process(record(id));
        }

        awaitForwarded(9);
        assertThat(context.forwarded())
                .extracting(forward -> forward.record().value().audit().getInteractionId())
                .containsExactlyInAnyOrder("e-0", "e-1", "e-2", "e-3", "e-4", "e-5", "e-6", "e-7", "e-8");
        assertThat(keys()).as("only the retrying engagement's entry is left").containsExactly(2L);
        assertThat(statistics.pending()).as("it holds only its own slot").isEqualTo(1);
        await().atMost(5, TimeUnit.SECONDS).until(() -> slowPosts() > 1);
        assertThat(keys()).as("retrying holds only itself").containsExactly(2L);

        KOCHAVA.stubFor(
                post(TRACK).atPriority(1).withRequestBody(containing("e-slow")).willReturn(okJson(OK)));
        awaitForwarded(10);
        assertThat(context.forwarded().get(9).record().value().audit().getInteractionId())
                .isEqualTo("e-slow");
        assertThat(keys()).isEmpty();
        assertThat(statistics.pending()).isZero();
        assertThat(gate.unapplied()).isZero();
    }

    @Test
    void closingATaskCancelsItsDeliveriesAtOnceAndTheyStopRetrying() {
        KOCHAVA.stubFor(post(TRACK).willReturn(serviceUnavailable()));
        start(Map.of());
        processor.process(record("e-1"));
        processor.process(record("e-2"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> posts() >= 6);

        long start = System.nanoTime();
        processor.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
        assertThat(gate.unapplied()).isZero();
        // A retry is due every 20 ms at most: after one second, at most the attempts already on the wire ended.
        int afterClose = posts();
        await().pollDelay(Duration.ofSeconds(1)).atMost(2, TimeUnit.SECONDS).until(() -> true);
        assertThat(posts()).as("no retry of a closed task").isLessThanOrEqualTo(afterClose + 2);
        assertThat(keys()).as("left for the next owner").containsExactly(0L, 1L);
    }

    @Test
    void aClosedGateLetsRequestsInFlightEndAndWritesTheirOutcomesButSendsNothingNew() {
        KOCHAVA.stubFor(post(TRACK).atPriority(10).willReturn(okJson(OK).withFixedDelay(500)));
        KOCHAVA.stubFor(
                post(TRACK).atPriority(1).withRequestBody(containing("e-down")).willReturn(serviceUnavailable()));
        start(Map.of(DeliverySettings.BATCH_MAX_EVENTS, 1, DeliverySettings.MAX_PENDING, 2));
        processor.process(record("e-1"));
        processor.process(record("e-down"));
        processor.process(record("e-waiting"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> posts() >= 3);

        gate.close();
        deliverer.close(Duration.ofSeconds(5));
        punctuateUntil(() -> gate.unapplied() == 0);

        assertThat(context.forwarded())
                .extracting(forward -> forward.record().value().audit().getInteractionId())
                .containsExactly("e-1");
        assertThat(context.committed())
                .as("outcomes are committed at once while shutting down")
                .isTrue();
        assertThat(keys())
                .as("the aborted one and the one never sent stay in the outbox")
                .containsExactly(1L, 2L);
        processor.process(record("e-late"));
        punctuateUntil(() -> true);
        assertThat(KOCHAVA.findAll(postRequestedFor(urlEqualTo(TRACK)).withRequestBody(containing("e-waiting"))))
                .isEmpty();
        assertThat(keys()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void identityLinksGoThroughTheOutboxToTheIdentityLinkEndpointWithAuditAndDeadLetters() {
        KOCHAVA.stubFor(post(TRACK).willReturn(okJson(OK)));
        KOCHAVA.stubFor(post(IDENTITY_LINK).atPriority(10).willReturn(okJson(OK)));
        KOCHAVA.stubFor(post(IDENTITY_LINK)
                .atPriority(1)
                .withRequestBody(containing("refused-app"))
                .willReturn(aResponse().withStatus(400)));
        start(Map.of(DeliverySettings.BATCH_MAX_EVENTS, 2, DeliverySettings.BATCH_LINGER, 10_000));
        IdentityLink own = link("fb-1", "own-app");
        IdentityLink defaulted = link("fb-2", null);
        IdentityLink refused = link("fb-3", "refused-app");

        processor.process(linkRecord(own));
        processor.process(record("e-1"));
        processor.process(linkRecord(defaulted));
        processor.process(linkRecord(refused));
        punctuateUntil(() -> context.forwarded().size() == 4);

        assertThat(KOCHAVA.findAll(postRequestedFor(urlEqualTo(IDENTITY_LINK))))
                .extracting(request -> request.getBodyAsString())
                .containsExactlyInAnyOrder(
                        "{\"kochava_app_id\":\"own-app\",\"device_id\":{\"adid\":\"A-fb-1\"},"
                                + "\"data\":{\"fb_userid\":\"fb-1\"}}",
                        "{\"kochava_app_id\":\"default-app\",\"device_id\":{\"adid\":\"A-fb-2\"},"
                                + "\"data\":{\"fb_userid\":\"fb-2\"}}",
                        "{\"kochava_app_id\":\"refused-app\",\"device_id\":{\"adid\":\"A-fb-3\"},"
                                + "\"data\":{\"fb_userid\":\"fb-3\"}}");
        assertThat(posts()).as("the engagement went to the engagement endpoint").isEqualTo(1);
        List<DeliveryOutput> outputs = context.forwarded().stream()
                .map(forward -> (DeliveryOutput) forward.record().value())
                .toList();
        List<DeliveryOutput> links =
                outputs.stream().filter(out -> out.audit().getIdentityLink()).toList();
        assertThat(links)
                .extracting(out -> out.audit().getKochavaAppId())
                .containsExactlyInAnyOrder("own-app", "default-app", "refused-app");
        assertThat(links)
                .allSatisfy(out ->
                        assertThat(out.audit().getInteractionId()).isEqualTo("identity-link@" + T0.toEpochMilli()));
        DeliveryOutput failed =
                links.stream().filter(DeliveryOutput::failed).findFirst().orElseThrow();
        assertThat(links.stream().filter(DeliveryOutput::failed)).hasSize(1);
        assertThat(failed.audit().getOutcome()).isEqualTo(DeliveryOutcome.REJECTED);
        assertThat(failed.deadLetter().getReasonCode()).isEqualTo("HTTP_REJECTED");
        assertThat(failed.deadLetter().getSourceTopic()).isEqualTo(LINKS_TOPIC);
        assertThat(failed.deadLetter().getKochavaAppId()).isEqualTo("refused-app");
        assertThat(failed.deadLetter().getHttpStatus()).isEqualTo(400);
        assertThat(linkSerde
                        .deserializer()
                        .deserialize(LINKS_TOPIC, bytes(failed.deadLetter().getOriginalValue())))
                .as("the link's own bytes, to replay")
                .isEqualTo(refused);
        assertThat(failed.deadLetter().getMessage()).doesNotContain("fb-3");
        assertThat(outputs.stream().filter(out -> !out.audit().getIdentityLink()))
                .extracting(out -> out.audit().getInteractionId())
                .containsExactly("e-1");
        assertThat(statistics.identityLinksForwarded()).isEqualTo(2);
        assertThat(statistics.identityLinksFailed()).isEqualTo(1);
        assertThat(keys()).isEmpty();
    }

    @Test
    void aLinkLeftInTheOutboxIsReadBackAsALinkAndForwarded() {
        KOCHAVA.stubFor(post(IDENTITY_LINK).willReturn(okJson(OK)));
        context.setCurrentSystemTimeMs(System.currentTimeMillis());
        outbox.init(context.getStateStoreContext(), outbox);
        IdentityLink left = link("fb-9", "own-app");
        outbox.put(
                4L,
                OutboxEntry.identityLink(
                        "fb-9".getBytes(StandardCharsets.UTF_8),
                        7L,
                        linkSerde.serializer().serialize(LINKS_TOPIC, left),
                        null,
                        0));

        start(Map.of());
        punctuateUntil(() -> context.forwarded().size() == 1);

        DeliveryOutput output =
                (DeliveryOutput) context.forwarded().get(0).record().value();
        assertThat(output.audit().getIdentityLink()).isTrue();
        assertThat(output.audit().getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(KOCHAVA.findAll(postRequestedFor(urlEqualTo(IDENTITY_LINK)))).hasSize(1);
        assertThat(keys()).isEmpty();
    }

    @Test
    void aLinkLeftInTheOutboxAfterForwardingWasSwitchedOffIsDeadLetteredNotSent() {
        KOCHAVA.stubFor(post(IDENTITY_LINK).willReturn(okJson(OK)));
        KochavaDeliverer notForwarding = new KochavaDeliverer(
                KochavaClientConfig.from(Map.of(
                        KochavaClientConfig.ENDPOINT, KOCHAVA.baseUrl() + TRACK,
                        KochavaClientConfig.IDENTITY_LINK_ENDPOINT, KOCHAVA.baseUrl() + IDENTITY_LINK,
                        KochavaClientConfig.ALLOW_PRIVATE_ADDRESSES, true)),
                statistics);
        openOutbox(outbox);
        byte[] bytes = linkSerde.serializer().serialize(LINKS_TOPIC, link("fb-7", null));
        outbox.put(0L, OutboxEntry.identityLink("fb-7".getBytes(StandardCharsets.UTF_8), 7L, bytes, null, 0));
        try {
            startProcessor(Map.of(), notForwarding);
            punctuateUntil(() -> context.forwarded().size() == 1);

            DeliveryOutput output =
                    (DeliveryOutput) context.forwarded().get(0).record().value();
            assertThat(output.audited()).isFalse();
            assertThat(output.deadLetter().getReasonCode()).isEqualTo("IDENTITY_LINK_NOT_FORWARDED");
            assertThat(output.deadLetter().getStage()).isEqualTo("deliver");
            assertThat(output.deadLetter().getSourceTopic()).isEqualTo(LINKS_TOPIC);
            assertThat(bytes(output.deadLetter().getOriginalValue())).isEqualTo(bytes);
            assertThat(output.deadLetter().getMessage()).doesNotContain("fb-7");
            assertThat(keys()).isEmpty();
            assertThat(KOCHAVA.findAll(postRequestedFor(urlEqualTo(IDENTITY_LINK))))
                    .isEmpty();
        } finally {
            notForwarding.close(Duration.ofSeconds(1));
        }
    }

    @Test
    void anUnreadableOutboxEntryIsDeadLetteredWithItsBytesAndTheOthersAreDelivered() {
        KOCHAVA.stubFor(post(TRACK).willReturn(okJson(OK)));
        byte[] garbage = {9, 8, 7};
        byte[] notAvro = {5, 1, 2, 3, 4, 5};
        context.setCurrentSystemTimeMs(System.currentTimeMillis());
        outbox.init(context.getStateStoreContext(), outbox);
        outbox.put(0L, OutboxEntry.unreadable(garbage));
        outbox.put(1L, new OutboxEntry("u-1".getBytes(StandardCharsets.UTF_8), 5L, notAvro));
        outbox.put(
                2L,
                new OutboxEntry(
                        "u-2".getBytes(StandardCharsets.UTF_8),
                        6L,
                        serde.serializer().serialize(TOPIC, engagement("e-2"))));

        start(Map.of());
        punctuateUntil(() -> context.forwarded().size() == 3);

        List<DeliveryOutput> outputs = context.forwarded().stream()
                .map(forward -> (DeliveryOutput) forward.record().value())
                .toList();
        assertThat(outputs.get(0).audited()).isFalse();
        assertThat(outputs.get(0).deadLetter().getReasonCode()).isEqualTo("OUTBOX_ENTRY_UNREADABLE");
        assertThat(bytes(outputs.get(0).deadLetter().getOriginalValue())).isEqualTo(garbage);
        assertThat(outputs.get(1).audited()).isFalse();
        assertThat(bytes(outputs.get(1).deadLetter().getOriginalValue())).isEqualTo(notAvro);
        assertThat(bytes(outputs.get(1).deadLetter().getOriginalKey()))
                .isEqualTo("u-1".getBytes(StandardCharsets.UTF_8));
        assertThat(outputs.get(2).audit().getInteractionId()).isEqualTo("e-2");
        assertThat(outputs.get(2).audit().getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(keys()).isEmpty();
        assertThat(statistics.unreadableEntries()).isEqualTo(2);
        assertThat(statistics.outboxSize()).isZero();
    }

    @Test
    void anOutcomeThatCannotBeWrittenIsKeptAndWrittenAgainAndNothingIsStranded() {
        KOCHAVA.stubFor(post(TRACK).willReturn(okJson(OK)));
        FailingDeletes failing = new FailingDeletes(outbox);
        openOutbox(failing);
        startProcessor(Map.of(DeliverySettings.MAX_PENDING, 1, DeliverySettings.BATCH_MAX_EVENTS, 1), deliverer);
        failing.failNext = true;
        for (String id : List.of("e-1", "e-2", "e-3")) {
            processor.process(record(id));
        }

        punctuateUntil(() -> keys().isEmpty());
        assertThat(statistics.completionFailures()).isEqualTo(1);
        assertThat(context.forwarded())
                .extracting(forward -> forward.record().value().audit().getInteractionId())
                .as("the first outcome is written again (its audit twice: it was out before the delete failed)")
                .containsExactly("e-1", "e-1", "e-2", "e-3");
        assertThat(statistics.pending()).isZero();
        assertThat(statistics.outboxSize()).isZero();
        assertThat(gate.unapplied()).isZero();
        assertThat(posts()).as("nothing sent twice").isEqualTo(3);
    }

    /** The outbox, whose next delete fails once when asked to. */
    private static final class FailingDeletes
            extends org.apache.kafka.streams.state.internals.WrappedStateStore<
                    KeyValueStore<Long, OutboxEntry>, Long, OutboxEntry>
            implements KeyValueStore<Long, OutboxEntry> {
        boolean failNext;

        FailingDeletes(KeyValueStore<Long, OutboxEntry> inner) {
            super(inner);
        }

        @Override
        public OutboxEntry delete(Long key) {
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("injected failure");
            }
            return wrapped().delete(key);
        }

        @Override
        public void put(Long key, OutboxEntry value) {
            wrapped().put(key, value);
        }

        @Override
        public OutboxEntry putIfAbsent(Long key, OutboxEntry value) {
            return wrapped().putIfAbsent(key, value);
        }

        @Override
        public void putAll(List<org.apache.kafka.streams.KeyValue<Long, OutboxEntry>> entries) {
            wrapped().putAll(entries);
        }

        @Override
        public OutboxEntry get(Long key) {
            return wrapped().get(key);
        }

        @Override
        public KeyValueIterator<Long, OutboxEntry> range(Long from, Long to) {
            return wrapped().range(from, to);
        }

        @Override
        public KeyValueIterator<Long, OutboxEntry> all() {
            return wrapped().all();
        }

        @Override
        public long approximateNumEntries() {
            return wrapped().approximateNumEntries();
        }
    }

    private void awaitForwarded(int count) {
        punctuateUntil(() -> context.forwarded().size() >= count);
    }

    private void punctuateUntil(java.util.concurrent.Callable<Boolean> done) {
        await().atMost(10, TimeUnit.SECONDS)
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    context.scheduledPunctuators().get(0).getPunctuator().punctuate(System.currentTimeMillis());
                    return done.call();
                });
    }

    private List<Long> keys() {
        List<Long> keys = new ArrayList<>();
        try (KeyValueIterator<Long, OutboxEntry> all = outbox.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    private static int posts() {
        return KOCHAVA.findAll(postRequestedFor(urlEqualTo(TRACK))).size();
    }

    private static int slowPosts() {
        return KOCHAVA.findAll(postRequestedFor(urlEqualTo(TRACK)).withRequestBody(containing("e-slow")))
                .size();
    }

    private static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");

    private static IdentityLink link(String user, String app) {
        return IdentityLink.newBuilder()
                .setFbUserId(user)
                .setDeviceIds(Map.of("adid", "A-" + user))
                .setUpdatedAt(T0)
                .setKochavaAppId(app)
                .build();
    }

    private static Record<byte[], DeliveryItem> linkRecord(IdentityLink link) {
        return new Record<>(link.getFbUserId().getBytes(StandardCharsets.UTF_8), DeliveryItem.of(link), 2_000L);
    }

    private static Record<byte[], DeliveryItem> record(String id) {
        return new Record<>(("u-" + id).getBytes(StandardCharsets.UTF_8), DeliveryItem.of(engagement(id)), 1_000L);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static Engagement engagement(String id) {
        Instant occurred = Instant.parse("2026-11-25T00:00:00Z");
        return Engagement.newBuilder()
                .setInteractionId(id)
                .setKochavaAppId("kobot-demo-1a2b3c")
                .setType(InteractionType.EVENT)
                .setFbUserId("user-of-" + id)
                .setOccurredAt(occurred)
                .setEventName("Purchase")
                .setDeviceIds(Map.of("fb_user_id", "user-of-" + id))
                .setIngestedAt(occurred)
                .build();
    }
}
