package io.kobot.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.schema.EngagementDelivery;
import io.kobot.schema.IdentityLink;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Round trips through the in-memory registry (mock://). */
class SpecificAvroSerdeTest {

    private static final String SCOPE = "serde-test";
    private static final Map<String, Object> CONFIG = Map.of("schema.registry.url", "mock://" + SCOPE);

    @AfterEach
    void dropScope() {
        SchemaRegistryClients.dropMockScope(SCOPE);
    }

    static Stream<SpecificRecord> records() {
        return Stream.of(
                TestRecords.botInteraction("i-1"),
                TestRecords.identityLink(),
                TestRecords.engagement(),
                TestRecords.engagementDelivery(),
                TestRecords.deadLetter());
    }

    @ParameterizedTest
    @MethodSource("records")
    void roundTripsEveryContractType(SpecificRecord record) {
        roundTrip(record);
    }

    private static <T extends SpecificRecord> void roundTrip(T record) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) record.getClass();
        try (SpecificAvroSerde<T> serde = SpecificAvroSerde.of(type, CONFIG, false)) {
            byte[] bytes = serde.serializer().serialize("topic", record);

            assertThat(AvroWireFormat.hasMagicByte(bytes)).isTrue();
            assertThat(AvroWireFormat.schemaId(bytes)).isEqualTo(1);
            assertThat(serde.deserializer().deserialize("topic", bytes)).isEqualTo(record);
        }
    }

    @Test
    void separateInstancesOfOneScopeShareTheRegistry() {
        try (SpecificAvroSerializer<BotInteraction> serializer = new SpecificAvroSerializer<>();
                SpecificAvroDeserializer<BotInteraction> deserializer =
                        new SpecificAvroDeserializer<>(BotInteraction.class)) {
            serializer.configure(CONFIG, false);
            deserializer.configure(CONFIG, false);
            BotInteraction record = TestRecords.botInteraction("i-2");

            assertThat(deserializer.deserialize("topic", serializer.serialize("topic", record)))
                    .isEqualTo(record);
        }
    }

    @Test
    void assignsIdsLikeConfluent() {
        try (SchemaRegistryClient registry = SchemaRegistryClients.create(SchemaRegistryConfig.from(CONFIG))) {
            int interactions = registry.register("a-value", BotInteraction.getClassSchema());

            assertThat(interactions).isEqualTo(1);
            assertThat(registry.register("a-value", BotInteraction.getClassSchema()))
                    .isEqualTo(1);
            assertThat(registry.register("b-value", BotInteraction.getClassSchema()))
                    .isEqualTo(1);
            assertThat(registry.register("b-value", IdentityLink.getClassSchema()))
                    .isEqualTo(2);
            assertThat(registry.lookup("b-value", BotInteraction.getClassSchema()))
                    .isEqualTo(1);
            assertThat(registry.getById(2)).isEqualTo(IdentityLink.getClassSchema());
            assertThatThrownBy(() -> registry.lookup("a-value", IdentityLink.getClassSchema()))
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining("not registered under subject a-value");
            assertThatThrownBy(() -> registry.getById(3))
                    .isInstanceOf(UnknownSchemaIdException.class)
                    .hasMessageContaining("Schema id 3");
        }
    }

    @Test
    void usesTopicNameStrategyForKeysAndValues() {
        try (SpecificAvroSerde<IdentityLink> keys = SpecificAvroSerde.of(IdentityLink.class, CONFIG, true);
                SpecificAvroSerde<IdentityLink> values = SpecificAvroSerde.of(IdentityLink.class, CONFIG, false);
                SchemaRegistryClient registry = SchemaRegistryClients.create(SchemaRegistryConfig.from(CONFIG))) {
            keys.serializer().serialize("links", TestRecords.identityLink());
            values.serializer().serialize("links", TestRecords.identityLink());

            assertThat(registry.lookup("links-key", IdentityLink.getClassSchema()))
                    .isEqualTo(1);
            assertThat(registry.lookup("links-value", IdentityLink.getClassSchema()))
                    .isEqualTo(1);
        }
    }

    @Test
    void passesTombstonesThrough() {
        try (SpecificAvroSerde<IdentityLink> serde = SpecificAvroSerde.of(IdentityLink.class, CONFIG, false)) {
            assertThat(serde.serializer().serialize("links", null)).isNull();
            assertThat(serde.deserializer().deserialize("links", null)).isNull();
        }
    }

    @Test
    void withoutAutoRegisterOnlyLooksUp() {
        Map<String, Object> noRegister =
                Map.of("schema.registry.url", "mock://" + SCOPE, "auto.register.schemas", false);
        try (SpecificAvroSerde<Engagement> serde = SpecificAvroSerde.of(Engagement.class, noRegister, false);
                SchemaRegistryClient registry = SchemaRegistryClients.create(SchemaRegistryConfig.from(CONFIG))) {
            assertThatThrownBy(() -> serde.serializer().serialize("engagements", TestRecords.engagement()))
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining("engagements-value")
                    .hasMessageContaining("auto.register.schemas");

            int id = registry.register("engagements-value", Engagement.getClassSchema());

            assertThat(AvroWireFormat.schemaId(serde.serializer().serialize("engagements", TestRecords.engagement())))
                    .isEqualTo(id);
        }
    }

    @Test
    void rejectsAWrongMagicByte() {
        try (SpecificAvroSerde<DeadLetter> serde = SpecificAvroSerde.of(DeadLetter.class, CONFIG, false)) {
            byte[] bytes = serde.serializer().serialize("dlq", TestRecords.deadLetter());
            bytes[0] = '{';

            assertThatThrownBy(() -> serde.deserializer().deserialize("dlq", bytes))
                    .isInstanceOf(InvalidWireFormatException.class)
                    .hasMessageContaining("expected magic byte 0");
        }
    }

    @Test
    void rejectsInputShorterThanTheHeader() {
        try (SpecificAvroSerde<DeadLetter> serde = SpecificAvroSerde.of(DeadLetter.class, CONFIG, false)) {
            assertThatThrownBy(() -> serde.deserializer().deserialize("dlq", new byte[] {0, 0, 0}))
                    .isInstanceOf(InvalidWireFormatException.class)
                    .hasMessageContaining("3 byte(s), fewer than the 5-byte header");
        }
    }

    @Test
    void rejectsATruncatedBody() {
        try (SpecificAvroSerde<BotInteraction> serde = SpecificAvroSerde.of(BotInteraction.class, CONFIG, false)) {
            byte[] bytes = serde.serializer().serialize("interactions", TestRecords.botInteraction("i-3"));
            byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);

            assertThatThrownBy(() -> serde.deserializer().deserialize("interactions", truncated))
                    .isInstanceOf(InvalidWireFormatException.class)
                    .hasMessageContaining("Truncated Avro record on topic interactions")
                    .hasMessageContaining("schema id 1");
            // The decoder the failed read left behind must not spoil the next one on this thread.
            assertThat(serde.deserializer().deserialize("interactions", bytes))
                    .isEqualTo(TestRecords.botInteraction("i-3"));
        }
    }

    @Test
    void rejectsAHugeLengthWithoutAllocatingIt() {
        try (SpecificAvroSerde<BotInteraction> serde = SpecificAvroSerde.of(BotInteraction.class, CONFIG, false)) {
            byte[] valid = serde.serializer().serialize("interactions", TestRecords.botInteraction("i-4"));
            // Header, then interaction_id's length as the zig-zag varint of 2^30: a gigabyte string.
            byte[] corrupt = Arrays.copyOf(valid, 10);
            System.arraycopy(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08}, 0, corrupt, 5, 5);

            assertThat(System.getProperty("org.apache.avro.limits.string.maxLength"))
                    .isEqualTo(AvroDecodingLimits.MAX_STRING_OR_BYTES);
            assertThatThrownBy(() -> serde.deserializer().deserialize("interactions", corrupt))
                    .isInstanceOf(InvalidWireFormatException.class);
        }
    }

    @Test
    void reportsAnUnknownSchemaId() {
        try (SpecificAvroSerde<BotInteraction> serde = SpecificAvroSerde.of(BotInteraction.class, CONFIG, false)) {
            byte[] bytes = {0, 0, 0, 0, 99, 2};

            assertThatThrownBy(() -> serde.deserializer().deserialize("interactions", bytes))
                    .isInstanceOf(UnknownSchemaIdException.class)
                    .hasMessageContaining("Schema id 99");
        }
    }

    @Test
    void refusesRecordsOfAnotherType() {
        try (SpecificAvroSerde<IdentityLink> links = SpecificAvroSerde.of(IdentityLink.class, CONFIG, false);
                SpecificAvroSerde<EngagementDelivery> deliveries =
                        SpecificAvroSerde.of(EngagementDelivery.class, CONFIG, false)) {
            byte[] bytes = links.serializer().serialize("links", TestRecords.identityLink());

            assertThatThrownBy(() -> deliveries.deserializer().deserialize("links", bytes))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("cannot be read as io.kobot.schema.EngagementDelivery");
        }
    }

    @Test
    void requiresConfiguration() {
        try (SpecificAvroSerializer<IdentityLink> serializer = new SpecificAvroSerializer<>()) {
            assertThatThrownBy(() -> serializer.serialize("links", TestRecords.identityLink()))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void serdesSharingAClientUseItAndLeaveItOpen() {
        CountingClient shared = new CountingClient(SchemaRegistryClients.create(SchemaRegistryConfig.from(CONFIG)));
        SchemaRegistryConfig config = SchemaRegistryConfig.from(CONFIG);
        BotInteraction interaction = TestRecords.botInteraction("i-3");
        DeadLetter deadLetter = TestRecords.deadLetter();

        try (SpecificAvroSerde<BotInteraction> interactions =
                        SpecificAvroSerde.sharing(BotInteraction.class, shared, config, false);
                SpecificAvroSerde<DeadLetter> deadLetters =
                        SpecificAvroSerde.sharing(DeadLetter.class, shared, config, false)) {
            assertThat(interactions
                            .deserializer()
                            .deserialize("in", interactions.serializer().serialize("in", interaction)))
                    .isEqualTo(interaction);
            assertThat(deadLetters
                            .deserializer()
                            .deserialize("dlq", deadLetters.serializer().serialize("dlq", deadLetter)))
                    .isEqualTo(deadLetter);
        }

        assertThat(shared.registrations).isEqualTo(2);
        assertThat(shared.closes)
                .as("closing the serdes leaves the shared client to its owner")
                .isZero();
        shared.close();
        assertThat(shared.closes).isEqualTo(1);
    }

    /** Counts what reaches the client it wraps. */
    private static final class CountingClient implements SchemaRegistryClient {
        private final SchemaRegistryClient delegate;
        int registrations;
        int closes;

        CountingClient(SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public int register(String subject, Schema schema) {
            registrations++;
            return delegate.register(subject, schema);
        }

        @Override
        public int lookup(String subject, Schema schema) {
            return delegate.lookup(subject, schema);
        }

        @Override
        public Schema getById(int id) {
            return delegate.getById(id);
        }

        @Override
        public void close() {
            closes++;
            delegate.close();
        }
    }
}
