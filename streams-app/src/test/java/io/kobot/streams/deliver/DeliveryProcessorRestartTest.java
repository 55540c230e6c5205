package io.kobot.streams.deliver;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task that stops with requests in flight, and its next owner on the same outbox. (TopologyTestDriver deletes
 * its state directory on close, so the restart is done here on the processor, with a store that outlives it; the
 * broker test {@code DeliveryRecoveryIT} restarts a whole instance.)
 */
class DeliveryProcessorRestartTest {
    private static final String TRACK = "/track/json";
    private static final String OK = "{\"success\":\"1\"}";

    @RegisterExtension
    static final WireMockExtension KOCHAVA = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private final String scope = "restart-test-" + UUID.randomUUID();
    private final SpecificAvroSerde<Engagement> serde =
            SpecificAvroSerde.of(Engagement.class, Map.of("schema.registry.url", "mock://" + scope), false);
    private final DeliveryStatistics statistics = new DeliveryStatistics();
    // WireMock listens on loopback: a stand-in, allowed explicitly.
    private final KochavaDeliverer deliverer = new KochavaDeliverer(
            KochavaClientConfig.from(Map.of(
                    KochavaClientConfig.ENDPOINT,
                    KOCHAVA.baseUrl() + TRACK,
                    KochavaClientConfig.PING_ALLOWED_HOSTS,
                    "localhost",
                    KochavaClientConfig.ALLOW_PRIVATE_ADDRESSES,
                    true)),
            statistics);
    private final DeliverySettings settings =
            DeliverySettings.from(Map.of(DeliverySettings.BATCH_LINGER, 0, DeliverySettings.DRAIN_TIMEOUT, 0));

    @AfterEach
    void close() {
        deliverer.close(Duration.ofSeconds(1));
        SchemaRegistryClients.dropMockScope(scope);
    }

    @Test
    void theNextOwnerSendsWhatWasInFlightAgainAndNothingIsLost() {
        KeyValueStore<Long, OutboxEntry> outbox = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(KochavaDeliverySink.OUTBOX_STORE),
                        Serdes.Long(),
                        OutboxEntry.serde())
                .withLoggingDisabled()
                .build();
        KOCHAVA.stubFor(post(TRACK).willReturn(okJson(OK).withFixedDelay(2_000)));
        MockProcessorContext<byte[], DeliveryOutput> first = new MockProcessorContext<>();
        first.setCurrentSystemTimeMs(System.currentTimeMillis());
        outbox.init(first.getStateStoreContext(), outbox);
        first.addStateStore(outbox);
        DeliveryProcessor firstOwner = processor();
        firstOwner.init(first);
        for (int i = 0; i < 3; i++) {
            firstOwner.process(new Record<>(
                    ("u-" + i).getBytes(StandardCharsets.UTF_8), DeliveryItem.of(engagement("e-" + i)), 1_000L + i));
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> posts() == 3);
        firstOwner.close();

        KOCHAVA.stubFor(post(TRACK).willReturn(okJson(OK)));
        MockProcessorContext<byte[], DeliveryOutput> second = new MockProcessorContext<>();
        second.setCurrentSystemTimeMs(System.currentTimeMillis());
        second.addStateStore(outbox);
        DeliveryProcessor nextOwner = processor();
        nextOwner.init(second);
        assertThat(statistics.restoredForRedelivery()).isEqualTo(3);
        await().atMost(10, TimeUnit.SECONDS).pollInSameThread().until(() -> {
            second.scheduledPunctuators().get(0).getPunctuator().punctuate(System.currentTimeMillis());
            return second.forwarded().size() == 3;
        });

        assertThat(second.forwarded())
                .extracting(forward -> forward.record().value().audit().getInteractionId())
                .containsExactlyInAnyOrder("e-0", "e-1", "e-2");
        assertThat(second.forwarded())
                .extracting(forward -> forward.record().value().audit().getOutcome())
                .containsOnly(DeliveryOutcome.DELIVERED);
        assertThat(second.forwarded())
                .allSatisfy(forward -> assertThat(forward.record().timestamp())
                        .isEqualTo(1_000L
                                + Long.parseLong(forward.record()
                                        .value()
                                        .audit()
                                        .getInteractionId()
                                        .substring(2))));
        assertThat(outbox.approximateNumEntries()).isZero();
        assertThat(posts()).as("what was in flight is sent twice").isEqualTo(6);
        // The first owner's late results are dropped: they belong to a closed task.
        await().during(Duration.ofMillis(2_500))
                .atMost(3, TimeUnit.SECONDS)
                .until(() -> first.forwarded().isEmpty());
        nextOwner.close();
        assertThat(statistics.outboxSize()).isZero();
    }

    private DeliveryProcessor processor() {
        return new DeliveryProcessor(
                settings,
                deliverer,
                statistics,
                serde,
                "bot.engagements",
                SpecificAvroSerde.of(IdentityLink.class, Map.of("schema.registry.url", "mock://unused-links"), false),
                "bot.identity-links",
                new ThreadLocal<>(),
                new DeliveryGate());
    }

    private static int posts() {
        return KOCHAVA.findAll(postRequestedFor(urlEqualTo(TRACK))).size();
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
