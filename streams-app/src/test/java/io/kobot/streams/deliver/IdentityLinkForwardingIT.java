package io.kobot.streams.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kobot.devstack.kochava.Fault;
import io.kobot.devstack.kochava.KochavaStandIn;
import io.kobot.devstack.kochava.ReceivedIdentityLink;
import io.kobot.kochava.KochavaClientConfig;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.IdentityLink;
import io.kobot.streams.metrics.PipelineMetrics;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
 * IdentityLink forwarding on a real broker with exactly-once, against the Kochava stand-in: created, changed,
 * re-sent unchanged and tombstoned links reach Kochava exactly as expected; links accepted while Kochava throttles
 * survive a crash of the instance holding them in its outbox.
 */
@ExtendWith(RealInfrastructureExtension.class)
class IdentityLinkForwardingIT {
    private static final int PARTITIONS = 3;
    private static final String DEFAULT_APP = "kobot-default-app";
    private static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final TopicNames topics = new TopicNames(
            "interactions-" + run, "links-" + run, "engagements-" + run, "deliveries-" + run, "dlq-" + run);
    private final List<ExactlyOnceInstance> instances = new ArrayList<>();
    private KochavaStandIn kochava;
    private Map<String, Object> registryConfig;
    private KafkaBroker broker;
    private KafkaProducer<byte[], byte[]> producer;
    private SpecificAvroSerde<IdentityLink> linkSerde;

    @BeforeEach
    void start(KafkaBroker broker, ApicurioRegistry registry) {
        this.broker = broker;
        registryConfig = Map.of("schema.registry.url", registry.confluentApiUrl());
        broker.createTopic(topics.interactions(), PARTITIONS);
        broker.createTopic(topics.identityLinks(), PARTITIONS, Map.of("cleanup.policy", "compact"));
        broker.createTopic(topics.engagements(), PARTITIONS);
        broker.createTopic(topics.deliveries(), PARTITIONS);
        broker.createTopic(topics.deadLetters(), 1);
        kochava = KochavaStandIn.start();
        Map<String, Object> props = broker.clientProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer = new KafkaProducer<>(props);
        linkSerde = SpecificAvroSerde.of(IdentityLink.class, registryConfig, false);
    }

    @AfterEach
    void stop() {
        instances.forEach(ExactlyOnceInstance::close);
        producer.close();
        kochava.close();
    }

    @Test
    void createdAndChangedLinksAreForwardedUnchangedOnesAndTombstonesAreNot(@TempDir Path stateDir) {
        ExactlyOnceInstance instance = startInstance(stateDir);
        KafkaStreams streams = instance.streams();
        PipelineMetrics pipeline = instance.metrics();
        await().atMost(60, TimeUnit.SECONDS).until(() -> streams.state() == KafkaStreams.State.RUNNING);

        IdentityLink created = link("u-1", T0, Map.of("adid", "A-1"), null);
        IdentityLink otherApp = link("u-2", T0, Map.of("idfa", "I-2"), "app-2");
        send(created);
        send(otherApp);
        await().atMost(30, TimeUnit.SECONDS).until(() -> kochava.identityLinks().size() == 2);

        IdentityLink changed = link("u-1", T0.plusSeconds(10), Map.of("adid", "A-1", "idfa", "I-1"), null);
        send(changed);
        await().atMost(30, TimeUnit.SECONDS).until(() -> kochava.identityLinks().size() == 3);

        // Nothing new for Kochava: the same link again, the same identifiers at a later time, an older update, and
        // a tombstone (Kochava has no unlink).
        send(changed);
        send(link("u-1", T0.plusSeconds(20), Map.of("idfa", "I-1", "adid", "A-1"), null));
        send(link("u-1", T0.plusSeconds(5), Map.of("adid", "stale"), null));
        send(otherApp);
        sendTombstone("u-2");
        await().atMost(30, TimeUnit.SECONDS)
                .until(() -> pipeline.count(PipelineMetrics.LINK_UPDATES) == 6
                        && pipeline.count(PipelineMetrics.LINK_STALE_IGNORED) == 1
                        && pipeline.count(PipelineMetrics.LINK_DELETES) == 1);
        // Then a change for each user, after the others in their partitions: once these arrived, anything queued
        // before them had been sent too; a link made again after its tombstone is new.
        IdentityLink changedAgain = link("u-1", T0.plusSeconds(30), Map.of("adid", "A-3"), null);
        IdentityLink madeAgain = link("u-2", T0.plusSeconds(30), Map.of("idfa", "I-2"), "app-2");
        send(changedAgain);
        send(madeAgain);
        await().atMost(30, TimeUnit.SECONDS).until(() -> kochava.identityLinks().size() >= 5);
        await().during(Duration.ofSeconds(2))
                .atMost(5, TimeUnit.SECONDS)
                .until(() -> kochava.identityLinks().size() == 5);

        assertThat(kochava.identityLinks())
                .extracting(IdentityLinkForwardingIT::summary)
                .containsExactlyInAnyOrder(
                        DEFAULT_APP + " u-1 {adid=A-1}",
                        "app-2 u-2 {idfa=I-2}",
                        DEFAULT_APP + " u-1 {adid=A-1, idfa=I-1}",
                        DEFAULT_APP + " u-1 {adid=A-3}",
                        "app-2 u-2 {idfa=I-2}");
        assertThat(kochava.identityLinks().stream()
                        .filter(link -> link.data().get("fb_userid").equals("u-1"))
                        .map(link -> link.deviceIds().get("adid")))
                .as("one user's links in the order they were made")
                .containsExactly("A-1", "A-1", "A-3");
        DeliveryStatistics delivery = statistics(0);
        await().atMost(10, TimeUnit.SECONDS).until(() -> delivery.identityLinksForwarded() == 5);
        assertThat(delivery.identityLinksFailed()).isZero();
        assertThat(kochava.requests())
                .as("no engagement was posted for a link")
                .noneMatch(request -> request.path().equals(KochavaStandIn.TRACK_PATH));
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void linksAcceptedWhileKochavaThrottlesSurviveACrashOfTheInstanceHoldingThem(
            @TempDir Path stateDir, @TempDir Path freshStateDir) {
        kochava.answerWith(Fault.throttle(Duration.ofSeconds(1)));
        ExactlyOnceInstance first = startInstance(stateDir);
        int users = 60;
        Set<String> expected = IntStream.range(0, users).mapToObj(i -> "u-" + i).collect(Collectors.toSet());
        expected.forEach(user -> send(link(user, T0, Map.of("adid", "A-" + user), null)));
        DeliveryStatistics held = statistics(0);
        // Accepted: every link is in the outbox (committed with its input), and its delivery is being retried.
        await().atMost(60, TimeUnit.SECONDS).until(() -> held.outboxSize() == users && held.retries() > 0);
        first.crash();
        assertThat(kochava.identityLinks())
                .as("none got through the throttling")
                .isEmpty();

        // A new instance on an empty state directory: it restores the outbox from its changelog.
        startInstance(freshStateDir);
        kochava.serve();
        await().atMost(60, TimeUnit.SECONDS)
                .until(() -> kochava.identityLinks().stream()
                        .map(link -> link.data().get("fb_userid"))
                        .collect(Collectors.toSet())
                        .containsAll(expected));

        List<ReceivedIdentityLink> received = kochava.identityLinks();
        System.out.printf(
                "IdentityLinkForwardingIT: %d links accepted under throttling, %d requests accepted after the crash "
                        + "(%d sent twice)%n",
                users, received.size(), received.size() - users);
        assertThat(received).allSatisfy(link -> {
            assertThat(link.appId()).isEqualTo(DEFAULT_APP);
            assertThat(link.deviceIds())
                    .containsEntry("adid", "A-" + link.data().get("fb_userid"));
        });
        assertThat(received.size())
                .as("re-sent at most what the first instance had in flight")
                .isLessThanOrEqualTo(2 * users);
        assertThat(deadLetters()).isEmpty();
    }

    private static String summary(ReceivedIdentityLink link) {
        return link.appId() + " " + link.data().get("fb_userid") + " " + new java.util.TreeMap<>(link.deviceIds());
    }

    private static IdentityLink link(String user, Instant updatedAt, Map<String, String> deviceIds, String app) {
        return IdentityLink.newBuilder()
                .setFbUserId(user)
                .setDeviceIds(new HashMap<>(deviceIds))
                .setUpdatedAt(updatedAt)
                .setKochavaAppId(app)
                .build();
    }

    private void send(IdentityLink link) {
        producer.send(new ProducerRecord<>(
                topics.identityLinks(),
                link.getFbUserId().getBytes(StandardCharsets.UTF_8),
                linkSerde.serializer().serialize(topics.identityLinks(), link)));
        producer.flush();
    }

    private void sendTombstone(String user) {
        producer.send(
                new ProducerRecord<>(topics.identityLinks(), user.getBytes(StandardCharsets.UTF_8), (byte[]) null));
        producer.flush();
    }

    private DeliveryStatistics statistics(int instance) {
        return instances.get(instance).statistics();
    }

    private ExactlyOnceInstance startInstance(Path stateDir) {
        Map<String, Object> config = new HashMap<>(Map.of(
                KochavaClientConfig.ENDPOINT,
                kochava.endpoint().toString(),
                KochavaClientConfig.FORWARD_IDENTITY_LINKS,
                true,
                KochavaClientConfig.IDENTITY_LINK_ENDPOINT,
                kochava.identityLinkEndpoint().toString(),
                KochavaClientConfig.IDENTITY_LINK_DEFAULT_APP_ID,
                DEFAULT_APP,
                KochavaClientConfig.PING_ALLOWED_HOSTS,
                KochavaStandIn.HOST,
                // The stand-in listens on loopback: allowed explicitly.
                KochavaClientConfig.ALLOW_PRIVATE_ADDRESSES,
                true,
                KochavaClientConfig.MAX_RETRY_TIME,
                120_000,
                KochavaClientConfig.RETRY_INITIAL_BACKOFF,
                50,
                KochavaClientConfig.RETRY_MAX_BACKOFF,
                500));
        config.put(DeliverySettings.DRAIN_TIMEOUT, 500);
        ExactlyOnceInstance instance = ExactlyOnceInstance.start(
                broker, "kobot-link-forwarding-it-" + run, stateDir, topics, PARTITIONS, config, registryConfig);
        instances.add(instance);
        return instance;
    }

    private List<DeadLetter> deadLetters() {
        SpecificAvroSerde<DeadLetter> serde = SpecificAvroSerde.of(DeadLetter.class, registryConfig, false);
        List<DeadLetter> found = new ArrayList<>();
        Map<String, Object> props = new HashMap<>(broker.clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.deadLetters()));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(r -> found.add(serde.deserializer().deserialize(r.topic(), r.value())));
            }
        }
        return found;
    }
}
