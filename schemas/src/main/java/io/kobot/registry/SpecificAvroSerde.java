package io.kobot.registry;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for one SpecificRecord type over a Schema Registry. Its serializer and deserializer share one
 * registry client, so a schema this serde registered is never fetched back. Configured, it opens its own client and
 * closes it on {@link #close()}; {@link #sharing} builds one over a client that several serdes share, whose owner
 * closes it.
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

    /**
     * A serde over {@code client}, which it uses but never closes: one client (one cache, one connection pool)
     * can serve every serde of an application, and its owner closes it once none of them is used any more.
     *
     * @param config the serializer's settings ({@code auto.register.schemas}); its URL is the client's business
     */
    public static <T extends SpecificRecord> SpecificAvroSerde<T> sharing(
            Class<T> type, SchemaRegistryClient client, SchemaRegistryConfig config, boolean isKey) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.serializer.configure(client, false, config, isKey);
        serde.deserializer.configure(client, false);
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
