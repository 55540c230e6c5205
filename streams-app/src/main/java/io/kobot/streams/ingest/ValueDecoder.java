package io.kobot.streams.ingest;

import io.kobot.registry.AvroWireFormat;
import io.kobot.registry.SchemaRegistryException;
import io.kobot.registry.SchemaRegistryUnavailableException;
import io.kobot.registry.UnsupportedSchemaException;
import io.kobot.schema.deadletter.RejectionReason;
import io.kobot.streams.deadletter.DeadLetterMessages;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes a record value that is either Avro in the Confluent wire format (first byte 0) or a UTF-8 JSON
 * object. Anything else is {@link RejectionReason#UNPARSEABLE}.
 *
 * <p>A schema registry that cannot be reached (IO errors, timeouts, 429, 5xx), or refuses us (401/403), is not the
 * record's fault: that exception propagates, so the stream thread fails and the record is reprocessed once the
 * registry is back, instead of being dead-lettered. A schema id the registry does not know is the record's fault
 * ({@link RejectionReason#INVALID_AVRO}), and so is one that resolves to no usable Avro schema (JSON, Protobuf,
 * unparseable, or refused with another 4xx: {@link RejectionReason#UNSUPPORTED_SCHEMA}).
 */
public final class ValueDecoder<T> {

    /** Reads the JSON form of a contract type. */
    @FunctionalInterface
    public interface JsonReader<T> {
        T read(byte[] bytes) throws InvalidRecordException;
    }

    private final Deserializer<T> avro;
    private final JsonReader<T> json;

    public ValueDecoder(Deserializer<T> avro, JsonReader<T> json) {
        this.avro = avro;
        this.json = json;
    }

    public T decode(String topic, byte[] bytes) throws InvalidRecordException {
        if (bytes == null) {
            throw new InvalidRecordException(RejectionReason.NULL_VALUE, "value is null (a tombstone)");
        }
        if (bytes.length == 0) {
            throw new InvalidRecordException(RejectionReason.EMPTY_VALUE, "value is empty (0 bytes)");
        }
        if (AvroWireFormat.hasMagicByte(bytes)) {
            return decodeAvro(topic, bytes);
        }
        if (JsonFields.looksLikeJsonObject(bytes)) {
            return json.read(bytes);
        }
        throw new InvalidRecordException(
                RejectionReason.UNPARSEABLE,
                "value is neither Avro in the Confluent wire format (first byte 0) nor a JSON object");
    }

    private T decodeAvro(String topic, byte[] bytes) throws InvalidRecordException {
        try {
            return avro.deserialize(topic, bytes);
        } catch (SchemaRegistryUnavailableException | SchemaRegistryException e) {
            throw e;
        } catch (UnsupportedSchemaException e) {
            throw new InvalidRecordException(RejectionReason.UNSUPPORTED_SCHEMA, e.getMessage(), e);
        } catch (RuntimeException e) {
            // Corrupt Avro can fail in many ways (EOF, bad union index, negative lengths): all are the record's.
            throw new InvalidRecordException(
                    RejectionReason.INVALID_AVRO,
                    "Avro value cannot be decoded: " + DeadLetterMessages.scrub(e.getMessage(), null),
                    e);
        }
    }
}
