package io.kobot.connect.kochava;

import io.kobot.registry.SpecificAvroDeserializer;
import io.kobot.schema.Engagement;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns a sink record's value into an {@link Engagement}, whichever converter produced it: a Struct
 * ({@link RegistryAvroConverter}, another Avro converter), a Map (schemaless JsonConverter) or raw Confluent
 * wire-format bytes (ByteArrayConverter, read with the task's own registry settings).
 */
final class RecordDecoder implements AutoCloseable {

    private final SpecificAvroDeserializer<Engagement> bytesDeserializer;

    RecordDecoder(Optional<Map<String, Object>> registryConfigs) {
        this.bytesDeserializer = registryConfigs
                .map(configs -> {
                    SpecificAvroDeserializer<Engagement> deserializer =
                            new SpecificAvroDeserializer<>(Engagement.class);
                    deserializer.configure(configs, false);
                    return deserializer;
                })
                .orElse(null);
    }

    /**
     * @throws DataException      when the value is no Engagement: a permanent failure of this record
     * @throws RetriableException when the schema registry cannot be reached
     * @throws ConnectException   when the schema registry refuses us (credentials): the task fails
     */
    Engagement decode(SinkRecord record) {
        Object value = record.value();
        if (value instanceof Struct struct) return EngagementValues.fromStruct(struct, record.timestamp());
        if (value instanceof Map<?, ?> map) return EngagementValues.fromMap(map, record.timestamp());
        if (value instanceof byte[] bytes) return fromBytes(record.topic(), bytes);
        throw new DataException("Cannot read an Engagement from a "
                + (value == null ? "null" : value.getClass().getSimpleName()) + " value: use "
                + RegistryAvroConverter.class.getSimpleName() + ", JsonConverter or ByteArrayConverter");
    }

    private Engagement fromBytes(String topic, byte[] bytes) {
        if (bytesDeserializer == null)
            throw new DataException("Values are raw bytes: set " + KochavaSinkConnectorConfig.SCHEMA_REGISTRY_URL
                    + " to read them, or use value.converter=" + RegistryAvroConverter.class.getName());
        return RegistryFailures.translated(
                () -> bytesDeserializer.deserialize(topic, bytes), "Cannot read an Engagement from topic " + topic);
    }

    @Override
    public void close() {
        if (bytesDeserializer != null) bytesDeserializer.close();
    }
}
