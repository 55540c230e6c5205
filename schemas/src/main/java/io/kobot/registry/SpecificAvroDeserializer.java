package io.kobot.registry;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format Avro into {@code T}: the writer schema comes from the registry by the id in the
 * header, and Avro schema resolution maps it onto T's schema (defaults fill fields the writer did not have).
 * Null becomes null. Thread-safe once configured; the reader for each writer id is built once.
 */
public final class SpecificAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    static {
        AvroDecodingLimits.install();
    }

    private final Class<T> type;
    private final Schema readerSchema;
    private final SpecificData specificData;
    private final ConcurrentMap<Integer, DatumReader<T>> readersBySchemaId = new ConcurrentHashMap<>();
    // Writer schemas that cannot be read as T: ids never change, so the verdict holds; bounded by the registry's ids.
    private final ConcurrentMap<Integer, String> incompatibleBySchemaId = new ConcurrentHashMap<>();
    // A decoder is stateful, so it is reused per thread only.
    private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();
    private SchemaRegistryClient client;
    private boolean ownsClient;

    public SpecificAvroDeserializer(Class<T> type) {
        this.type = type;
        this.specificData = SpecificData.getForClass(type);
        this.readerSchema = specificData.getSchema(type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        configure(SchemaRegistryClients.create(SchemaRegistryConfig.from(configs)), true);
    }

    /** Configures with a client the caller (the serde) owns and closes. */
    void configure(SchemaRegistryClient client, boolean ownsClient) {
        close(); // a reconfigured serde must not keep the previous registry's client or ids
        readersBySchemaId.clear();
        incompatibleBySchemaId.clear();
        this.client = client;
        this.ownsClient = ownsClient;
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("SpecificAvroDeserializer is not configured: call configure() first");
        }
        int schemaId = AvroWireFormat.schemaId(bytes);
        DatumReader<T> reader = reader(schemaId);
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(
                        bytes, AvroWireFormat.HEADER_SIZE, bytes.length - AvroWireFormat.HEADER_SIZE, decoders.get());
        decoders.set(decoder);
        try {
            return reader.read(null, decoder);
        } catch (EOFException e) {
            throw new InvalidWireFormatException(
                    "Truncated Avro record on topic " + topic + ": the " + bytes.length
                            + " byte(s) end before a whole " + type.getSimpleName() + " (schema id " + schemaId
                            + ") is read; "
                            + "check that the producer sends complete records",
                    e);
        } catch (IOException | RuntimeException e) {
            throw new InvalidWireFormatException(
                    "Corrupt Avro record on topic " + topic + " (schema id " + schemaId + ", " + bytes.length
                            + " bytes): " + e.getMessage() + "; check that the bytes were written with that schema",
                    e);
        }
    }

    private DatumReader<T> reader(int schemaId) {
        DatumReader<T> reader = readersBySchemaId.get(schemaId);
        if (reader != null) {
            return reader;
        }
        String incompatible = incompatibleBySchemaId.get(schemaId);
        if (incompatible != null) {
            throw new SerializationException(incompatible);
        }
        Schema writerSchema = client.getById(schemaId);
        SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
        if (compatibility.getType() != SchemaCompatibilityType.COMPATIBLE) {
            String message = "Schema id " + schemaId + " (" + writerSchema.getFullName() + ") cannot be read as "
                    + readerSchema.getFullName() + ": " + compatibility.getDescription()
                    + "; check that the topic carries " + type.getSimpleName() + " records";
            incompatibleBySchemaId.putIfAbsent(schemaId, message);
            throw new SerializationException(message);
        }
        reader = new SpecificDatumReader<>(writerSchema, readerSchema, specificData);
        DatumReader<T> previous = readersBySchemaId.putIfAbsent(schemaId, reader);
        return previous != null ? previous : reader;
    }

    @Override
    public void close() {
        decoders.remove();
        if (ownsClient && client != null) {
            client.close();
        }
    }
}
