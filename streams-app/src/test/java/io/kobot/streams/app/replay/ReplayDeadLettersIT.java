package io.kobot.streams.app.replay;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.DeliveryOutcome;
import io.kobot.schema.EngagementDelivery;
import io.kobot.schema.InteractionType;
import io.kobot.streams.app.Main;
import io.kobot.streams.app.Pipeline;
import io.kobot.streams.app.TopicPreflight;
import io.kobot.streams.config.PipelineConfig;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay-dead-letters} on a real broker and registry, against the running pipeline: 1,000 interactions
 * dead-lettered as RETRIES_EXHAUSTED during an outage are replayed, interrupted and resumed, once Kochava is back:
 * each is delivered exactly once; replaying again (same name, or another) delivers none.
 */
@ExtendWith(RealInfrastructureExtension.class)
class ReplayDeadLettersIT {
    private static final int RECORDS = 1_000;
    private static final int BAD_INPUT = 5;
    private static final String APP = "kobot-replay-it";
    private static final String TRACK = "/track/json";
    private static final Pattern EVENT_ID = Pattern.compile("\"event_data\":\\{\"n\":\"([^\"]+)\"}");

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String interactions = "replay-in-" + run;
    private final String deliveries = "replay-deliveries-" + run;
    private final String deadLetters = "replay-dlq-" + run;
    private final WireMockServer kochava =
            new WireMockServer(wireMockConfig().dynamicPort().containerThreads(50));

    @TempDir
    Path dir;

    private KafkaBroker broker;
    private Map<String, Object> registryConfig;
    private Path configFile;

    @AfterEach
    void stop() {
        kochava.stop();
    }

    @Test
    void deadLettersOfAnOutageAreDeliveredExactlyOnceAndNeverTwice(KafkaBroker broker, ApicurioRegistry registry)
            throws Exception {
        this.broker = broker;
        this.registryConfig = Map.of("schema.registry.url", registry.confluentApiUrl());
        kochava.start();
        kochava.stubFor(post(TRACK).willReturn(status(503)));
        configFile = dir.resolve("kobot.properties");
        Files.writeString(
                configFile,
                String.join(
                        "\n",
                        "application.id=replay-it-" + run,
                        "bootstrap.servers=" + broker.bootstrapServers(),
                        "schema.registry.url=" + registry.confluentApiUrl(),
                        "topics.interactions=" + interactions,
                        "topics.identity-links=replay-links-" + run,
                        "topics.engagements=replay-engagements-" + run,
                        "topics.deliveries=" + deliveries,
                        "topics.dead-letters=" + deadLetters,
                        "topics.create=true",
                        "topics.partitions=2",
                        "state.dir=" + dir.resolve("state"),
                        "http.port=0",
                        "kochava.endpoint=" + kochava.baseUrl() + TRACK,
                        "kochava.allow-private-addresses=true",
                        "delivery.max-retry-time=1500",
                        "delivery.retry.initial-backoff=50",
                        "delivery.retry.max-backoff=300"));
        PipelineConfig config = PipelineConfig.load(Optional.of(configFile), Map.of(), List.of());
        createTopics();

        try (Pipeline pipeline = new Pipeline(config, new TopicPreflight(config).run())) {
            pipeline.start();
            Set<String> ids = publish();
            publishBadInput();
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> reasons().getOrDefault("RETRIES_EXHAUSTED", 0) == RECORDS
                            && reasons().getOrDefault("UNPARSEABLE", 0) == BAD_INPUT);

            // Kochava is back.
            kochava.resetAll();
            kochava.stubFor(post(TRACK).willReturn(okJson("{\"success\":\"1\"}")));

            String dryRun = replay("--dry-run");
            assertThat(dryRun)
                    .containsPattern("RETRIES_EXHAUSTED\\s+" + APP + "\\s+" + RECORDS + "\\b")
                    .contains("left out: " + BAD_INPUT + " (reason not replayed unless named with --reason)")
                    .doesNotContain("UNPARSEABLE ");
            String namedDryRun = replay("--dry-run", "--reason", "RETRIES_EXHAUSTED", "--reason", "UNPARSEABLE");
            assertThat(namedDryRun)
                    .containsPattern("RETRIES_EXHAUSTED\\s+" + APP + "\\s+" + RECORDS + "\\b")
                    .containsPattern("UNPARSEABLE\\s+\\(unknown\\)\\s+" + BAD_INPUT + "\\b");

            String interrupted = replay("--reason", "RETRIES_EXHAUSTED", "--max-records", "400", "--rate", "5000");
            assertThat(interrupted).contains("replayed 400").contains("Stopped after --max-records 400");
            String resumed = replay("--reason", "RETRIES_EXHAUSTED", "--rate", "5000");
            assertThat(resumed).contains("replayed 600");

            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> delivered().size() == RECORDS);
            assertThat(delivered()).containsExactlyInAnyOrderElementsOf(ids);

            // The same replay again sends nothing; another name sends every one again, and dedup drops them.
            assertThat(replay("--reason", "RETRIES_EXHAUSTED")).contains("replayed 0");
            assertThat(replay("--reason", "RETRIES_EXHAUSTED", "--name", "again", "--rate", "5000"))
                    .contains("replayed " + RECORDS);
            publishSentinel();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> successfulRequestsById().containsKey("sentinel"));

            Map<String, Integer> requests = successfulRequestsById();
            requests.remove("sentinel");
            assertThat(requests.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(requests.values()).allMatch(count -> count == 1);
            assertThat(pipeline.metrics().count(PipelineMetrics.DUPLICATES_DROPPED))
                    .isEqualTo(RECORDS);
            assertThat(reasons().get("RETRIES_EXHAUSTED")).isEqualTo(RECORDS); // nothing failed again
        }
    }

    private void createTopics() {
        broker.createTopic(interactions, 2);
        broker.createTopic("replay-links-" + run, 2, Map.of("cleanup.policy", "compact"));
        broker.createTopic("replay-engagements-" + run, 2);
        broker.createTopic(deliveries, 2);
        broker.createTopic(deadLetters, 2);
    }

    private String replay(String... args) {
        List<String> all = new ArrayList<>(List.of("replay-dead-letters", "--config", configFile.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.execute(
                all.toArray(String[]::new), Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        System.out.println("replay " + String.join(" ", args) + ":\n" + out);
        assertThat(exitCode).as(err.toString()).isZero();
        return out.toString();
    }

    private Set<String> publish() {
        Set<String> ids = new HashSet<>();
        try (SpecificAvroSerde<BotInteraction> serde =
                        SpecificAvroSerde.of(BotInteraction.class, registryConfig, false);
                KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < RECORDS; i++) {
                String id = "r-" + i;
                send(producer, serde, id, "u-" + (i % 50));
                ids.add(id);
            }
        }
        return ids;
    }

    private void publishSentinel() {
        try (SpecificAvroSerde<BotInteraction> serde =
                        SpecificAvroSerde.of(BotInteraction.class, registryConfig, false);
                KafkaProducer<byte[], byte[]> producer = producer()) {
            send(producer, serde, "sentinel", "u-1");
        }
    }

    private void send(
            KafkaProducer<byte[], byte[]> producer, SpecificAvroSerde<BotInteraction> serde, String id, String user) {
        BotInteraction interaction = BotInteraction.newBuilder()
                .setInteractionId(id)
                .setKochavaAppId(APP)
                .setType(InteractionType.EVENT)
                .setFbUserId(user)
                .setOccurredAt(Instant.now().minusSeconds(5))
                .setEventName("Purchase")
                .setEventData("{\"n\":\"" + id + "\"}")
                .setDeviceIds(new HashMap<>())
                .build();
        producer.send(new ProducerRecord<>(
                interactions,
                user.getBytes(StandardCharsets.UTF_8),
                serde.serializer().serialize(interactions, interaction)));
    }

    private void publishBadInput() {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < BAD_INPUT; i++) {
                producer.send(
                        new ProducerRecord<>(interactions, null, ("not json " + i).getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(broker.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Dead letters by reason code, read in full. */
    private Map<String, Integer> reasons() {
        Map<String, Integer> counts = new HashMap<>();
        try (SpecificAvroSerde<DeadLetter> serde = SpecificAvroSerde.of(DeadLetter.class, registryConfig, false)) {
            readAll(deadLetters)
                    .forEach(value -> counts.merge(
                            serde.deserializer().deserialize(deadLetters, value).getReasonCode(), 1, Integer::sum));
        }
        return counts;
    }

    /** Interaction ids with a DELIVERED audit record; each at most once. */
    private List<String> delivered() {
        List<String> ids = new ArrayList<>();
        try (SpecificAvroSerde<EngagementDelivery> serde =
                SpecificAvroSerde.of(EngagementDelivery.class, registryConfig, false)) {
            readAll(deliveries).forEach(value -> {
                EngagementDelivery delivery = serde.deserializer().deserialize(deliveries, value);
                if (delivery.getOutcome() == DeliveryOutcome.DELIVERED) {
                    ids.add(delivery.getInteractionId());
                }
            });
        }
        return ids;
    }

    private List<byte[]> readAll(String topic) {
        Map<String, Object> props = new HashMap<>(broker.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<byte[]> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
        }
        return values;
    }

    /** Successful requests per interaction id, from WireMock's journal (reset when Kochava came back). */
    private Map<String, Integer> successfulRequestsById() {
        Map<String, Integer> counts = new HashMap<>();
        for (ServeEvent served : kochava.getAllServeEvents()) {
            if (served.getResponse().getStatus() != 200) {
                continue;
            }
            Matcher event = EVENT_ID.matcher(served.getRequest().getBodyAsString());
            if (event.find()) {
                counts.merge(event.group(1), 1, Integer::sum);
            }
        }
        return counts;
    }
}
