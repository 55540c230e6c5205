package io.kobot.streams.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.IdentityLink;
import io.kobot.schema.InteractionType;
import io.kobot.streams.config.PipelineConfig;
import io.kobot.streams.config.PipelineConfigs;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One schema registry client per running instance: every serde of the pipeline (the topology's, the delivery
 * sink's, the dead-letter handlers') goes through it, so the instance holds one connection to the registry, and
 * stopping the pipeline closes it. Counted from the kernel's socket table against Apicurio, with all five record
 * types of the contract read or written: Avro interactions and links in, engagements, audit records and a dead
 * letter out.
 */
@ExtendWith(RealInfrastructureExtension.class)
@EnabledOnOs(OS.LINUX)
class RegistryClientIT {
    private static final int INTERACTIONS = 20;

    @TempDir
    Path dir;

    @Test
    void theInstanceHoldsOneRegistryConnectionAndClosesItAtStop(KafkaBroker broker, ApicurioRegistry registry)
            throws Exception {
        Map<String, String> raw = PipelineConfigs.forRun("registry", broker, dir);
        String interactions = raw.get("topics.interactions");
        String links = raw.get("topics.identity-links");
        String deliveries = raw.get("topics.deliveries");
        String deadLetters = raw.get("topics.dead-letters");
        broker.createTopic(interactions, 2);
        broker.createTopic(links, 2, Map.of("cleanup.policy", "compact"));
        WireMockServer kochava = new WireMockServer(wireMockConfig().dynamicPort());
        kochava.start();
        kochava.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{\"success\":\"1\"}")));
        int registryPort = URI.create(registry.confluentApiUrl()).getPort();
        try {
            publish(broker, registry, interactions, links);
            // Whatever other clients of this JVM hold open (earlier tests, the publisher above) is not the pipeline's.
            Set<Long> before = EstablishedConnections.to(registryPort);
            raw.put("schema.registry.url", registry.confluentApiUrl());
            raw.put("topics.partitions", "2");
            raw.put("kochava.endpoint", kochava.baseUrl() + "/track/json");
            // WireMock listens on loopback: a stand-in, allowed explicitly.
            raw.put("kochava.allow-private-addresses", "true");
            PipelineConfig config = PipelineConfig.from(raw);

            Set<Long> whileRunning;
            try (Pipeline pipeline = new Pipeline(config, new TopicPreflight(config).run())) {
                pipeline.start();
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    assertThat(pipeline.metrics().count(PipelineMetrics.LINK_UPDATES))
                            .isEqualTo(1);
                    assertThat(committed(broker, deliveries)).isEqualTo(INTERACTIONS);
                    assertThat(committed(broker, deadLetters)).isEqualTo(1);
                });
                whileRunning = EstablishedConnections.to(registryPort);
                whileRunning.removeAll(before);
                assertThat(pipeline.stop()).isTrue();
            }

            // One stream thread, so one request at a time: a shared pool serves them all on one connection.
            assertThat(whileRunning)
                    .as("the pipeline's connections to the registry")
                    .hasSize(1);
            Set<Long> afterStop = EstablishedConnections.to(registryPort);
            assertThat(afterStop).as("closed at stop").doesNotContainAnyElementsOf(whileRunning);
        } finally {
            kochava.stop();
        }
    }

    /** Avro interactions and a link through a client of the test's own, closed before the pipeline starts. */
    private static void publish(KafkaBroker broker, ApicurioRegistry registry, String interactions, String links) {
        Map<String, Object> registryConfig = Map.of("schema.registry.url", registry.confluentApiUrl());
        try (SpecificAvroSerde<BotInteraction> interactionSerde =
                        SpecificAvroSerde.of(BotInteraction.class, registryConfig, false);
                SpecificAvroSerde<IdentityLink> linkSerde =
                        SpecificAvroSerde.of(IdentityLink.class, registryConfig, false);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        broker.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            Instant occurred = Instant.now().minusSeconds(60);
            IdentityLink link = IdentityLink.newBuilder()
                    .setFbUserId("psid-0")
                    .setDeviceIds(Map.of("adid", "A-0"))
                    .setUpdatedAt(occurred)
                    .build();
            producer.send(new ProducerRecord<>(
                    links, utf8("psid-0"), linkSerde.serializer().serialize(links, link)));
            for (int i = 0; i < INTERACTIONS; i++) {
                String user = "psid-" + (i % 3);
                BotInteraction interaction = BotInteraction.newBuilder()
                        .setInteractionId("registry-" + i)
                        .setKochavaAppId("kobot-it")
                        .setType(InteractionType.EVENT)
                        .setFbUserId(user)
                        .setOccurredAt(occurred)
                        .setEventName("Purchase")
                        .setDeviceIds(new HashMap<>())
                        .build();
                producer.send(new ProducerRecord<>(
                        interactions, utf8(user), interactionSerde.serializer().serialize(interactions, interaction)));
            }
            producer.send(new ProducerRecord<>(interactions, utf8("psid-0"), utf8("neither Avro nor JSON")));
            producer.flush();
        }
    }

    /** Records committed to {@code topic}, counted without decoding them (no registry client of the test's). */
    private static long committed(KafkaBroker broker, String topic) {
        Map<String, Object> props = new HashMap<>(broker.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long count = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
