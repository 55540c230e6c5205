package io.kobot.connect.kochava;

import io.kobot.registry.SchemaRegistryConfig;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.Engagement;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.storage.Converter;

/**
 * A Converter for {@link Engagement} values in the Confluent wire format, over the project's Schema Registry serdes:
 * bytes become a Struct of {@link EngagementSchema} and back. Configure it as {@code value.converter} with
 * {@code value.converter.schema.registry.url} (and, for a registry behind basic auth,
 * {@code value.converter.basic.auth.credentials.source=USER_INFO} and {@code value.converter.basic.auth.user.info}).
 * The record's faults (not an Engagement, not wire-format Avro, a schema id that is unknown, not Avro or
 * unparseable, or that the registry refuses with a 4xx) fail with a {@link DataException}, which errors.tolerance
 * and the DLQ govern; an unreachable registry (IO errors, timeouts, 429, 5xx) raises a {@link RetriableException},
 * which Connect retries within errors.retry.timeout; a registry that refuses us (401/403) fails the task with a
 * {@link ConnectException}: no record is skipped for an operator's problem.
 */
public class RegistryAvroConverter implements Converter {

    private SpecificAvroSerde<Engagement> serde;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SpecificAvroSerde<Engagement> previous = serde;
        serde = SpecificAvroSerde.of(Engagement.class, configs, isKey);
        if (previous != null) previous.close();
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        if (value == null) return null;
        Engagement engagement;
        if (value instanceof Engagement record) engagement = record;
        else if (value instanceof Struct struct) engagement = EngagementValues.fromStruct(struct, null);
        else
            throw new DataException("Expected an Engagement Struct for topic " + topic + ", got "
                    + value.getClass().getSimpleName());
        return RegistryFailures.translated(
                () -> configured().serializer().serialize(topic, engagement),
                "Cannot serialize an Engagement for topic " + topic);
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null) return SchemaAndValue.NULL;
        Engagement engagement = RegistryFailures.translated(
                () -> configured().deserializer().deserialize(topic, value),
                "Cannot read an Engagement from topic " + topic);
        return new SchemaAndValue(EngagementSchema.SCHEMA, EngagementSchema.toStruct(engagement));
    }

    @Override
    public ConfigDef config() {
        return SchemaRegistryConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void close() {
        if (serde != null) serde.close();
    }

    private SpecificAvroSerde<Engagement> configured() {
        if (serde == null)
            throw new IllegalStateException("RegistryAvroConverter is not configured: call configure() first");
        return serde;
    }
}
