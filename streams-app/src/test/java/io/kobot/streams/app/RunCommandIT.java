package io.kobot.streams.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.kobot.devstack.ChildJvm;
import io.kobot.devstack.FreePorts;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.Engagement;
import io.kobot.schema.InteractionType;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} as operators run it: a child JVM with a config file, against the harness broker and Apicurio, with
 * a WireMock Kochava. Checks the metrics and health endpoints, then SIGTERM: exit code 0 and nothing lost.
 */
@ExtendWith(RealInfrastructureExtension.class)
class RunCommandIT {
    private static final int RECORDS = 200;

    @TempDir
    Path dir;

    @Test
    void runsUntilSigtermAndLosesNothing(KafkaBroker broker, ApicurioRegistry registry) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String interactions = "run-it-interactions-" + suffix;
        String links = "run-it-links-" + suffix;
        String engagements = "run-it-engagements-" + suffix;
        broker.createTopic(interactions, 2);
        broker.createTopic(links, 2, Map.of("cleanup.policy", "compact"));
        broker.createTopic(engagements, 2);
        int httpPort = FreePorts.pick();
        WireMockServer kochava = new WireMockServer(wireMockConfig().dynamicPort());
        kochava.start();
        kochava.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{\"success\":\"1\"}")));
        Path config = dir.resolve("kobot.properties");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "application.id=run-it-" + suffix,
                        "bootstrap.servers=" + broker.bootstrapServers(),
                        "schema.registry.url=" + registry.confluentApiUrl(),
                        "topics.interactions=" + interactions,
                        "topics.identity-links=" + links,
                        "topics.engagements=" + engagements,
                        "topics.deliveries=run-it-deliveries-" + suffix,
                        "topics.dead-letters=run-it-dlq-" + suffix,
                        "topics.create=true",
                        "topics.partitions=2",
                        "state.dir=" + dir.resolve("state"),
                        "http.port=" + httpPort,
                        "shutdown.timeout=PT20S",
                        "kochava.endpoint=" + kochava.baseUrl() + "/track/json",
                        // WireMock listens on loopback: a stand-in, allowed explicitly.
                        "kochava.allow-private-addresses=true"));

        Process process = launchRun("--config", config.toString());
        try {
            Set<String> published = publish(broker, registry, interactions);

            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(
                                    get(http, httpPort, "/health/ready").statusCode())
                            .as(log())
                            .isEqualTo(200));
            assertThat(get(http, httpPort, "/health/live").statusCode()).isEqualTo(200);
            assertThat(get(http, httpPort, "/health/ready").body()).contains("\"state\":\"RUNNING\"");

            Set<String> delivered = new HashSet<>();
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                delivered.addAll(readEngagements(broker, registry, engagements));
                assertThat(delivered).as(log()).containsAll(published);
            });
            String metrics = get(http, httpPort, "/metrics").body();
            assertThat(metrics)
                    .contains("kobot_records_total{outcome=\"received\",stage=\"ingest\"} " + RECORDS + ".0")
                    .contains("kobot_records_total{outcome=\"unique\",stage=\"dedup\"}")
                    .contains("kafka_stream");

            process.destroy(); // SIGTERM
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(log()).isTrue();
            assertThat(process.exitValue()).as(log()).isEqualTo(0);
            assertThat(log()).contains("Pipeline closed cleanly");
        } finally {
            process.destroyForcibly();
            kochava.stop();
        }
    }

    private Set<String> publish(KafkaBroker broker, ApicurioRegistry registry, String topic) {
        Set<String> ids = new HashSet<>();
        Map<String, Object> registryConfig = Map.of("schema.registry.url", registry.confluentApiUrl());
        try (SpecificAvroSerde<BotInteraction> serde =
                        SpecificAvroSerde.of(BotInteraction.class, registryConfig, false);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        broker.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                String id = "run-it-" + i;
                String user = "psid-" + (i % 17);
                BotInteraction interaction = BotInteraction.newBuilder()
                        .setInteractionId(id)
                        .setKochavaAppId("kobot-it")
                        .setType(InteractionType.EVENT)
                        .setFbUserId(user)
                        .setOccurredAt(Instant.now().minusSeconds(60))
                        .setEventName("Purchase")
                        .setEventData("{\"sum\":" + i + "}")
                        .setDeviceIds(new HashMap<>())
                        .build();
                byte[] value = i % 2 == 0
                        ? serde.serializer().serialize(topic, interaction)
                        : ("{\"interaction_id\":\"" + id + "\",\"kochava_app_id\":\"kobot-it\",\"type\":\"EVENT\","
                                        + "\"fb_user_id\":\"" + user + "\",\"occurred_at\":"
                                        + Instant.now().toEpochMilli()
                                        + ",\"event_name\":\"Start Chatting\"}")
                                .getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic, user.getBytes(StandardCharsets.UTF_8), value));
                ids.add(id);
            }
            producer.flush();
        }
        return ids;
    }

    @Test
    void aSigtermDuringTheStartUpChecksEndsTheProcessWithZero() throws Exception {
        // No broker listens there: the start-up check waits up to a minute for one.
        String closed = "127.0.0.1:" + io.kobot.devstack.FreePorts.pick();
        Process process = launchRun(
                "--set",
                "bootstrap.servers=" + closed,
                "--set",
                "schema.registry.url=mock://start-up",
                "--set",
                "startup.kafka-timeout=PT60S",
                "--set",
                "http.port=0",
                "--set",
                "state.dir=" + dir.resolve("state-start-up"));
        try {
            // Logged once the shutdown hook is in place, before the start-up checks.
            await().atMost(Duration.ofSeconds(60)).until(() -> log().contains("Configuration: "));
            process.destroy(); // SIGTERM

            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as(log()).isTrue();
            assertThat(process.exitValue()).as(log()).isEqualTo(0);
            assertThat(log()).contains("Shutdown requested during start-up");
        } finally {
            process.destroyForcibly();
        }
    }

    private static List<String> readEngagements(KafkaBroker broker, ApicurioRegistry registry, String topic) {
        Map<String, Object> props = new HashMap<>(broker.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                SpecificAvroSerde<Engagement> serde = SpecificAvroSerde.of(
                        Engagement.class, Map.of("schema.registry.url", registry.confluentApiUrl()), false)) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    ids.add(serde.deserializer()
                            .deserialize(topic, record.value())
                            .getInteractionId());
                }
            }
        }
        return ids;
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code kobot run ARGUMENTS} in a child JVM on the test class path, its output in run.log. */
    private Process launchRun(String... arguments) throws IOException {
        List<String> command =
                new ArrayList<>(ChildJvm.command("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.add("run");
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("run.log").toFile())
                .start();
    }

    private String log() throws IOException {
        Path log = dir.resolve("run.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
