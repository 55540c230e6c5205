package io.kobot.messenger.app;

import io.kobot.devstack.FreePorts;
import io.kobot.messenger.config.IntakeConfig;
import io.kobot.messenger.http.WebhookSignature;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What the intake's integration tests share: its configuration, signed webhooks, and reading the topic back. */
final class IntakeFixture {
    static final String SECRET = "it-app-secret-5f2d";
    static final String TOKEN = "it-verify-token";
    static final String PAGE = "104729384756";
    static final String PSID = "6583920174628351";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final WebhookSignature SIGNATURE = new WebhookSignature(SECRET);

    private IntakeFixture() {}

    /** The intake's configuration for one page, its ports free, on {@code topic}. */
    static Map<String, String> config(String bootstrapServers, String registryUrl, String topic) {
        Map<String, String> raw = new HashMap<>();
        raw.put("bootstrap.servers", bootstrapServers);
        raw.put("schema.registry.url", registryUrl);
        raw.put("topics.interactions", topic);
        raw.put("topics.dead-letters", topic + ".dlq");
        raw.put("messenger.app-secret", SECRET);
        raw.put("messenger.verify-token", TOKEN);
        raw.put("webhook.port", "0");
        raw.put("http.port", Integer.toString(FreePorts.pick()));
        raw.put("shutdown.timeout", "PT5S");
        raw.put("messenger.page." + PAGE + ".kochava-app-id", "kobot-messenger-it");
        raw.put("messenger.page." + PAGE + ".impression-url", "https://imp.control.kochava.com/track/impression?c=1");
        raw.put("messenger.page." + PAGE + ".click-url", "https://smart.link/it");
        return raw;
    }

    static MessengerIntake start(Map<String, String> raw) throws IOException {
        MessengerIntake intake = new MessengerIntake(IntakeConfig.from(raw));
        intake.start();
        return intake;
    }

    static byte[] webhook(String file) throws IOException {
        try (InputStream in = IntakeFixture.class.getResourceAsStream("/webhooks/" + file)) {
            return in.readAllBytes();
        }
    }

    static String sign(byte[] body) {
        return SIGNATURE.sign(body);
    }

    static int post(MessengerIntake intake, byte[] body, String signature) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intake.webhookPort() + "/webhook"))
                                .timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/json")
                                .header(WebhookSignature.HEADER, signature)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    static int postSigned(MessengerIntake intake, String file) throws Exception {
        byte[] body = webhook(file);
        return post(intake, body, sign(body));
    }

    static HttpResponse<String> get(MessengerIntake intake, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intake.httpPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A record of the topic: where it sits, its key, its value decoded through the registry. */
    record Published(int partition, String key, BotInteraction value) {}

    /** Every record of {@code topic} up to its end offsets now. */
    static List<Published> readAll(String bootstrapServers, String registryUrl, String topic, int partitions) {
        return read(
                bootstrapServers,
                registryUrl,
                topic,
                partitions,
                BotInteraction.class,
                (record, value) ->
                        new Published(record.partition(), new String(record.key(), StandardCharsets.UTF_8), value));
    }

    /** Every dead letter of the one-partition {@code topic} up to its end offset now. */
    static List<DeadLetter> readDeadLetters(String bootstrapServers, String registryUrl, String topic) {
        return read(bootstrapServers, registryUrl, topic, 1, DeadLetter.class, (record, value) -> value);
    }

    private static <V extends SpecificRecord, R> List<R> read(
            String bootstrapServers,
            String registryUrl,
            String topic,
            int partitions,
            Class<V> type,
            BiFunction<ConsumerRecord<byte[], byte[]>, V, R> result) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        List<R> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                SpecificAvroSerde<V> serde =
                        SpecificAvroSerde.of(type, Map.of("schema.registry.url", registryUrl), false)) {
            List<TopicPartition> assigned = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                assigned.add(new TopicPartition(topic, p));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (assigned.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end offsets " + end);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(result.apply(record, serde.deserializer().deserialize(topic, record.value())));
                }
            }
        }
        return records;
    }
}
