package io.kobot.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a SpecificRecord in the Confluent wire format under the subject {@code <topic>-value} (or {@code -key}).
 * The schema is registered (or, with auto.register.schemas=false, looked up) once per subject and schema; null
 * becomes null, so tombstones pass through. Thread-safe once configured.
 */
public final class SpecificAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    /** What one subject resolved to; records of one class share the same Schema instance, so the check is cheap. */
    private record Registration(Schema schema, int id, byte[] header, DatumWriter<Object> writer) {}

    private final ConcurrentMap<String, Registration> registrations = new ConcurrentHashMap<>();
    private SchemaRegistryClient client;
    private boolean ownsClient;
    private boolean autoRegisterSchemas;
    private boolean isKey;

    public SpecificAvroSerializer() {}

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SchemaRegistryConfig config = SchemaRegistryConfig.from(configs);
        configure(SchemaRegistryClients.create(config), true, config, isKey);
    }

    /** Configures with a client the caller (the serde) owns and closes. */
    void configure(SchemaRegistryClient client, boolean ownsClient, SchemaRegistryConfig config, boolean isKey) {
        close(); // a reconfigured serde must not keep the previous registry's client or ids
        registrations.clear();
        this.client = client;
        this.ownsClient = ownsClient;
        this.autoRegisterSchemas = config.autoRegisterSchemas();
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("SpecificAvroSerializer is not configured: call configure() first");
        }
        String subject = topic + (isKey ? "-key" : "-value");
        Registration registration = registration(subject, record);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(registration.header());
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            registration.writer().write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Could not serialize a " + record.getSchema().getFullName() + " for topic " + topic + ": "
                            + e.getMessage() + "; check that required fields are set",
                    e);
        }
        return out.toByteArray();
    }

    private Registration registration(String subject, T record) {
        Schema schema = record.getSchema();
        Registration registration = registrations.get(subject);
        if (registration != null
                && (registration.schema() == schema || registration.schema().equals(schema))) {
            return registration;
        }
        int id = autoRegisterSchemas ? client.register(subject, schema) : client.lookup(subject, schema);
        DatumWriter<Object> writer = new SpecificDatumWriter<>(schema, SpecificData.getForClass(record.getClass()));
        registration = new Registration(schema, id, AvroWireFormat.header(id), writer);
        registrations.put(subject, registration);
        return registration;
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }
}
