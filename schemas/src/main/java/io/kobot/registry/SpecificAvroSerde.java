package io.kobot.registry;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for one SpecificRecord type over a Schema Registry. Its serializer and deserializer share one
 * registry client, so a schema this serde registered is never fetched back.
 */
public final class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final SpecificAvroSerializer<T> serializer = new SpecificAvroSerializer<>();
    private final SpecificAvroDeserializer<T> deserializer;
    private SchemaRegistryClient client;

    public SpecificAvroSerde(Class<T> type) {
        this.deserializer = new SpecificAvroDeserializer<>(type);
    }

    /** A serde already configured with {@code configs}. */
    public static <T extends SpecificRecord> SpecificAvroSerde<T> of(
            Class<T> type, Map<String, ?> configs, boolean isKey) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(configs, isKey);
        return serde;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SchemaRegistryConfig config = SchemaRegistryConfig.from(configs);
        SchemaRegistryClient previous = client;
        client = SchemaRegistryClients.create(config);
        serializer.configure(client, false, config, isKey);
        deserializer.configure(client, false);
        if (previous != null) {
            previous.close();
        }
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
        if (client != null) {
            client.close();
        }
    }
}
