package io.kobot.connect.kochava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.Engagement;
import java.util.Map;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegistryAvroConverterTest {

    private static final String TOPIC = "bot.engagements";
    private static final Map<String, String> CONFIGS = Map.of("schema.registry.url", "mock://converter-test");

    private final RegistryAvroConverter converter = new RegistryAvroConverter();

    @AfterEach
    void close() {
        converter.close();
    }

    @Test
    void bytesFromTheProjectSerdeBecomeAnEngagementStructAndBack() {
        converter.configure(CONFIGS, false);
        Engagement engagement = TestEngagements.event("i-1", "Purchase");
        byte[] bytes;
        try (SpecificAvroSerde<Engagement> serde = SpecificAvroSerde.of(Engagement.class, CONFIGS, false)) {
            bytes = serde.serializer().serialize(TOPIC, engagement);

            SchemaAndValue connect = converter.toConnectData(TOPIC, bytes);
            assertThat(connect.schema()).isEqualTo(EngagementSchema.SCHEMA);
            assertThat(((Struct) connect.value()).getString("event_name")).isEqualTo("Purchase");

            byte[] back = converter.fromConnectData(TOPIC, connect.schema(), connect.value());
            assertThat(serde.deserializer().deserialize(TOPIC, back)).isEqualTo(engagement);
        }
    }

    @Test
    void nullStaysNull() {
        converter.configure(CONFIGS, false);

        assertThat(converter.toConnectData(TOPIC, null)).isEqualTo(SchemaAndValue.NULL);
        assertThat(converter.fromConnectData(TOPIC, null, null)).isNull();
    }

    @Test
    void bytesThatAreNotConfluentAvroAreADataError() {
        converter.configure(CONFIGS, false);

        assertThatThrownBy(() -> converter.toConnectData(TOPIC, "{\"json\":true}".getBytes()))
                .isInstanceOf(DataException.class);
        assertThatThrownBy(() -> converter.fromConnectData(TOPIC, null, "text")).isInstanceOf(DataException.class);
    }
}
