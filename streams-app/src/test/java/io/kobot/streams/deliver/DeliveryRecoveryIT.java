package io.kobot.streams.deliver;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.kobot.kochava.KochavaClientConfig;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.DeliveryOutcome;
import io.kobot.schema.EngagementDelivery;
import io.kobot.schema.InteractionType;
import io.kobot.streams.topology.TopicNames;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery on a real broker with exactly-once: while Kochava answers 503, the instance delivering is closed
 * without waiting (its last results are lost), a new one starts on the same state directory, then another on a
 * fresh one that restores the outbox from its changelog; then Kochava recovers. Every accepted interaction must
 * reach Kochava, none may be dead-lettered, each gets an audit record; the interactions sent twice are counted.
 */
@ExtendWith(RealInfrastructureExtension.class)
class DeliveryRecoveryIT {
    private static final int PARTITIONS = 3;
    private static final int EVENTS = 1_500;
    private static final int CLICKS = 500;
    private static final int TOTAL = EVENTS + CLICKS;
    private static final String TRACK = "/track/json";
    private static final Pattern EVENT_ID = Pattern.compile("\"event_data\":\\{\"n\":\"([^\"]+)\"}");
    private static final Pattern CLICK_ID = Pattern.compile("^/click/([^?]+)");

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final TopicNames topics = new TopicNames(
            "interactions-" + run, "links-" + run, "engagements-" + run, "deliveries-" + run, "dlq-" + run);
    private final WireMockServer kochava =
            new WireMockServer(wireMockConfig().dynamicPort().containerThreads(100));
    private final List<ExactlyOnceInstance> instances = new ArrayList<>();
    private Map<String, Object> registryConfig;
    private KafkaBroker broker;

    @BeforeEach
    void start(KafkaBroker broker, ApicurioRegistry registry) {
        this.broker = broker;
        registryConfig = Map.of("schema.registry.url", registry.confluentApiUrl());
        broker.createTopic(topics.interactions(), PARTITIONS);
        broker.createTopic(topics.identityLinks(), PARTITIONS, Map.of("cleanup.policy", "compact"));
        broker.createTopic(topics.engagements(), PARTITIONS);
        broker.createTopic(topics.deliveries(), PARTITIONS);
        broker.createTopic(topics.deadLetters(), 1);
        kochava.start();
        // Slow enough that requests are in flight whenever an instance stops.
        kochava.stubFor(post(TRACK)
                .atPriority(10)
                .willReturn(okJson("{\"success\":\"1\"}").withFixedDelay(200)));
        kochava.stubFor(get(urlPathMatching("/click/.*"))
                .atPriority(10)
                .willReturn(status(302).withFixedDelay(200).withHeader("Location", "https://apps.example/store")));
    }

    @AfterEach
    void stop() {
        instances.forEach(ExactlyOnceInstance::close);
        kochava.stop();
    }

    @Test
    void everyAcceptedInteractionReachesKochavaAcrossCrashesAndAnOutage(
            @TempDir Path stateDir, @TempDir Path freshStateDir) throws InterruptedException {
        long started = System.nanoTime();
        Set<String> ids = publish();

        ExactlyOnceInstance first = startInstance(stateDir);
        AuditReader audit = new AuditReader();
        await().atMost(40, TimeUnit.SECONDS).until(() -> audit.poll().size() >= TOTAL / 4);
        StubMapping outage = kochava.stubFor(post(TRACK).atPriority(1).willReturn(status(503)));
        kochava.stubFor(get(urlPathMatching("/click/.*")).atPriority(1).willReturn(status(503)));
        first.crash();
        int auditedBeforeCrash = audit.poll().size();

        ExactlyOnceInstance sameState = startInstance(stateDir);
        Thread.sleep(3_000);
        sameState.crash();

        ExactlyOnceInstance restored = startInstance(freshStateDir);
        Thread.sleep(3_000);
        kochava.removeStub(outage);
        kochava.getStubMappings().stream()
                .filter(stub -> stub.getPriority() != null && stub.getPriority() == 1)
                .forEach(kochava::removeStub);
        await().atMost(60, TimeUnit.SECONDS).until(() -> audit.poll().size() >= TOTAL);
        Map<String, List<EngagementDelivery>> audits = audit.poll();
        long wallSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        Map<String, Integer> successes = successfulRequestsById();
        long sentTwice = successes.values().stream().filter(count -> count > 1).count();
        long extraRequests =
                successes.values().stream().mapToLong(count -> count - 1).sum();
        System.out.printf(
                "DeliveryRecoveryIT: %d interactions (%d events, %d clicks); %d audited before the crash; "
                        + "%d delivered more than once (%d extra successful requests); %d requests in all "
                        + "(503s included); %d s wall time%n",
                TOTAL,
                EVENTS,
                CLICKS,
                auditedBeforeCrash,
                sentTwice,
                extraRequests,
                kochava.getAllServeEvents().size(),
                wallSeconds);

        assertThat(successes.keySet()).as("reached Kochava with success").containsExactlyInAnyOrderElementsOf(ids);
        assertThat(audits.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(audits.values())
                .allSatisfy(records -> assertThat(records)
                        .singleElement()
                        .extracting(EngagementDelivery::getOutcome)
                        .isEqualTo(DeliveryOutcome.DELIVERED));
        assertThat(deadLetters()).isEmpty();
        assertThat(restored.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    private Set<String> publish() {
        SpecificAvroSerde<BotInteraction> serde = SpecificAvroSerde.of(BotInteraction.class, registryConfig, false);
        Map<String, Object> props = broker.clientProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        Instant occurred = Instant.now().minusSeconds(5);
        Set<String> ids = new HashSet<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < TOTAL; i++) {
                boolean event = i % 4 != 3;
                String id = (event ? "e-" : "c-") + i;
                String user = "u-" + (i % 200);
                BotInteraction.Builder interaction = BotInteraction.newBuilder()
                        .setInteractionId(id)
                        .setKochavaAppId("kobot-demo-1a2b3c")
                        .setType(event ? InteractionType.EVENT : InteractionType.CLICK)
                        .setFbUserId(user)
                        .setOccurredAt(occurred)
                        .setDeviceIds(new HashMap<>());
                if (event) {
                    interaction.setEventName("Purchase").setEventData("{\"n\":\"" + id + "\"}");
                } else {
                    interaction.setTrackingUrl(kochava.baseUrl() + "/click/" + id);
                }
                producer.send(new ProducerRecord<>(
                        topics.interactions(),
                        user.getBytes(StandardCharsets.UTF_8),
                        serde.serializer().serialize(topics.interactions(), interaction.build())));
                ids.add(id);
            }
        }
        assertThat(ids).hasSize(TOTAL);
        return ids;
    }

    private ExactlyOnceInstance startInstance(Path stateDir) {
        Map<String, Object> config = Map.of(
                KochavaClientConfig.ENDPOINT, kochava.baseUrl() + TRACK,
                // WireMock listens on loopback: a stand-in, allowed explicitly.
                KochavaClientConfig.PING_ALLOWED_HOSTS, "localhost",
                KochavaClientConfig.ALLOW_PRIVATE_ADDRESSES, true,
                KochavaClientConfig.MAX_IN_FLIGHT, 64,
                KochavaClientConfig.MAX_RETRY_TIME, 120_000,
                KochavaClientConfig.RETRY_INITIAL_BACKOFF, 50,
                KochavaClientConfig.RETRY_MAX_BACKOFF, 500,
                DeliverySettings.DRAIN_TIMEOUT, 500);
        ExactlyOnceInstance instance = ExactlyOnceInstance.start(
                broker, "kobot-delivery-it-" + run, stateDir, topics, PARTITIONS, config, registryConfig);
        instances.add(instance);
        return instance;
    }

    /** Successful (2xx/3xx) requests per interaction id, from the WireMock journal. */
    private Map<String, Integer> successfulRequestsById() {
        Map<String, Integer> counts = new HashMap<>();
        for (ServeEvent served : kochava.getAllServeEvents()) {
            int status = served.getResponse().getStatus();
            if (status < 200 || status >= 400) {
                continue;
            }
            Matcher event = EVENT_ID.matcher(served.getRequest().getBodyAsString());
            Matcher click = CLICK_ID.matcher(served.getRequest().getUrl());
            String id = event.find() ? event.group(1) : click.find() ? click.group(1) : null;
            if (id != null) {
                counts.merge(id, 1, Integer::sum);
            }
        }
        return counts;
    }

    private List<DeadLetter> deadLetters() {
        SpecificAvroSerde<DeadLetter> serde = SpecificAvroSerde.of(DeadLetter.class, registryConfig, false);
        List<DeadLetter> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(topics.deadLetters()));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(r -> found.add(serde.deserializer().deserialize(r.topic(), r.value())));
            }
        }
        return found;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> props = new HashMap<>(broker.clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Reads committed audit records as they come, by interaction id. */
    private final class AuditReader {
        private final KafkaConsumer<byte[], byte[]> consumer = consumer();
        private final SpecificAvroSerde<EngagementDelivery> serde =
                SpecificAvroSerde.of(EngagementDelivery.class, registryConfig, false);
        private final Map<String, List<EngagementDelivery>> byId = new HashMap<>();

        AuditReader() {
            consumer.subscribe(List.of(topics.deliveries()));
        }

        Map<String, List<EngagementDelivery>> poll() {
            consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                EngagementDelivery delivery = serde.deserializer().deserialize(r.topic(), r.value());
                byId.computeIfAbsent(delivery.getInteractionId(), id -> new ArrayList<>())
                        .add(delivery);
            });
            return byId;
        }
    }
}
