package io.kobot.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.IdentityLink;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The serdes against a real Kafka broker and a real Apicurio Registry (Confluent API). */
@ExtendWith(RealInfrastructureExtension.class)
class SchemaRegistrySerdesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void botInteractionsRoundTripThroughKafka(KafkaBroker broker, ApicurioRegistry registry) throws Exception {
        String topic = "bot.interactions." + UUID.randomUUID();
        List<BotInteraction> sent = List.of(
                TestRecords.botInteraction("i-1"),
                TestRecords.botInteraction("i-2"),
                TestRecords.botInteraction("i-3"));

        roundTrip(broker, registry, topic, BotInteraction.class, sent);
    }

    @Test
    void identityLinksAndTombstonesRoundTripThroughKafka(KafkaBroker broker, ApicurioRegistry registry)
            throws Exception {
        String topic = "bot.identity-links." + UUID.randomUUID();
        List<IdentityLink> sent = new ArrayList<>();
        sent.add(TestRecords.identityLink());
        sent.add(null);

        roundTrip(broker, registry, topic, IdentityLink.class, sent);
    }

    @Test
    void looksUpWithoutRegisteringAndReportsUnknownIds(ApicurioRegistry registry) {
        String topic = "lookup." + UUID.randomUUID();
        Map<String, Object> noRegister =
                Map.of("schema.registry.url", registry.confluentApiUrl(), "auto.register.schemas", false);

        try (SpecificAvroSerializer<IdentityLink> lookupOnly = new SpecificAvroSerializer<>();
                SchemaRegistryClient client =
                        SchemaRegistryClients.create(SchemaRegistryConfig.from(serdeConfig(registry)))) {
            lookupOnly.configure(noRegister, false);
            assertThatThrownBy(() -> lookupOnly.serialize(topic, TestRecords.identityLink()))
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining(topic + "-value");

            int id = client.register(topic + "-value", IdentityLink.getClassSchema());

            assertThat(AvroWireFormat.schemaId(lookupOnly.serialize(topic, TestRecords.identityLink())))
                    .isEqualTo(id);
            assertThatThrownBy(() -> client.getById(Integer.MAX_VALUE)).isInstanceOf(UnknownSchemaIdException.class);
        }
    }

    @Test
    void idsOfSchemasThatAreNotUsableAvroAreUnsupportedNotAnOutage(ApicurioRegistry registry) {
        String subject = "foreign-" + UUID.randomUUID();
        int jsonId = registry.registerSchema(
                subject + "-json", "JSON", "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}");
        int protobufId = registry.registerSchema(
                subject + "-proto", "PROTOBUF", "syntax = \"proto3\";\nmessage Foreign { string a = 1; }\n");
        // The Confluent API refuses an Avro schema that does not parse (422); Apicurio's own API stores it.
        int unparseableId =
                registry.registerUnchecked(subject + "-bad", "AVRO", "{\"type\":\"record\",\"name\":\"X\"}");

        try (SpecificAvroDeserializer<BotInteraction> deserializer =
                new SpecificAvroDeserializer<>(BotInteraction.class)) {
            deserializer.configure(serdeConfig(registry), false);
            for (int id : new int[] {jsonId, protobufId, unparseableId}) {
                byte[] record = {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id, 2, 'a'};
                assertThatThrownBy(() -> deserializer.deserialize("t", record))
                        .isInstanceOfSatisfying(
                                UnsupportedSchemaException.class,
                                e -> assertThat(e.schemaId()).isEqualTo(id))
                        .hasMessageMatching(
                                id == unparseableId ? "(?s).*not a valid Avro schema.*" : "(?s).*not Avro.*");
            }
        }
    }

    private static <T extends SpecificRecord> void roundTrip(
            KafkaBroker broker, ApicurioRegistry registry, String topic, Class<T> type, List<T> sent) throws Exception {
        broker.createTopic(topic, 1);
        Map<String, Object> serdeConfig = serdeConfig(registry);
        try (SpecificAvroSerializer<T> serializer = new SpecificAvroSerializer<>()) {
            serializer.configure(serdeConfig, false);
            try (KafkaProducer<String, T> producer =
                    new KafkaProducer<>(broker.clientProperties(), new StringSerializer(), serializer)) {
                for (T record : sent) {
                    producer.send(new ProducerRecord<>(topic, "fb-user-1", record))
                            .get();
                }
            }
        }

        SpecificAvroDeserializer<T> deserializer = new SpecificAvroDeserializer<>(type);
        deserializer.configure(serdeConfig, false);
        List<T> received = new ArrayList<>();
        for (ConsumerRecord<String, T> record : consume(broker, topic, deserializer, sent.size())) {
            received.add(record.value());
        }
        assertThat(received).containsExactlyElementsOf(sent);

        List<byte[]> raw = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : consume(broker, topic, new ByteArrayDeserializer(), sent.size())) {
            raw.add(record.value());
        }
        try (SpecificAvroDeserializer<T> coldCache = new SpecificAvroDeserializer<>(type)) {
            coldCache.configure(serdeConfig, false);
            for (int i = 0; i < sent.size(); i++) {
                byte[] bytes = raw.get(i);
                if (sent.get(i) == null) {
                    assertThat(bytes).isNull();
                    continue;
                }
                assertThat(bytes[0]).isEqualTo(AvroWireFormat.MAGIC_BYTE);
                Schema registered = fetchSchema(registry, AvroWireFormat.schemaId(bytes));
                Schema expected = sent.get(i).getSchema();
                assertThat(SchemaNormalization.parsingFingerprint64(registered))
                        .isEqualTo(SchemaNormalization.parsingFingerprint64(expected));
                assertThat(coldCache.deserialize(topic, bytes)).isEqualTo(sent.get(i));
            }
        }
    }

    private static Map<String, Object> serdeConfig(ApicurioRegistry registry) {
        return Map.of("schema.registry.url", registry.confluentApiUrl());
    }

    private static <V> List<ConsumerRecord<String, V>> consume(
            KafkaBroker broker, String topic, Deserializer<V> valueDeserializer, int expected) {
        Map<String, Object> props = broker.clientProperties();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), valueDeserializer)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).as("records consumed from %s", topic).hasSize(expected);
        return records;
    }

    /** GET /schemas/ids/{id} straight from the registry, not through the client under test. */
    private static Schema fetchSchema(ApicurioRegistry registry, int id) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(registry.confluentApiUrl() + "/schemas/ids/" + id))
                                .timeout(TIMEOUT)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET /schemas/ids/%d", id).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        return new Schema.Parser().parse(body.path("schema").asText());
    }
}
