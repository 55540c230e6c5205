package io.kobot.devstack.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Writes sample interactions and links in the wire forms the pipeline reads. Avro goes out in the Confluent wire
 * format under the subject {@code <topic>-value}, byte for byte what the project's own serializer writes for the
 * same values; the schemas are the contract's, passed in by the caller with the registry that gives their ids.
 * Thread-safe.
 */
public final class WireEncoder {
    private static final byte MAGIC_BYTE = 0;

    private final Schema interactionSchema;
    private final Schema linkSchema;
    private final Schema typeSchema;
    private final SchemaIds registry;
    private final GenericDatumWriter<GenericRecord> interactionWriter;
    private final GenericDatumWriter<GenericRecord> linkWriter;
    /** The 5-byte frame header of each schema, by topic. */
    private final ConcurrentMap<String, byte[]> interactionHeaders = new ConcurrentHashMap<>();

    private final ConcurrentMap<String, byte[]> linkHeaders = new ConcurrentHashMap<>();
    private final int[] interactionFields;
    private final int[] linkFields;

    /**
     * @param interactionSchema {@code BotInteraction.getClassSchema()}
     * @param linkSchema        {@code IdentityLink.getClassSchema()}
     * @param registry          gives the id of a schema under a subject (registering it on first use)
     */
    public WireEncoder(Schema interactionSchema, Schema linkSchema, SchemaIds registry) {
        this.interactionSchema = interactionSchema;
        this.linkSchema = linkSchema;
        this.typeSchema = interactionSchema.getField("type").schema();
        this.registry = registry;
        this.interactionWriter = new GenericDatumWriter<>(interactionSchema);
        this.linkWriter = new GenericDatumWriter<>(linkSchema);
        this.interactionFields = positions(
                interactionSchema,
                "interaction_id",
                "kochava_app_id",
                "type",
                "fb_user_id",
                "occurred_at",
                "event_name",
                "event_data",
                "tracking_url",
                "device_ids",
                "origination_ip");
        this.linkFields = positions(linkSchema, "fb_user_id", "device_ids", "updated_at");
    }

    public byte[] encode(String topic, SampleInteraction interaction, WireForm form) {
        return switch (form) {
            case AVRO -> avro(topic, interaction);
            case JSON -> json(interaction, false);
            case JSON_ISO_TEXT -> json(interaction, true);
        };
    }

    public byte[] encode(String topic, SampleLink link, WireForm form) {
        return form == WireForm.AVRO ? avro(topic, link) : json(link);
    }

    /** {@code interaction} in the Confluent wire format, registered under {@code <topic>-value}. */
    public byte[] avro(String topic, SampleInteraction interaction) {
        int[] at = interactionFields;
        GenericRecord record = new GenericData.Record(interactionSchema);
        record.put(at[0], interaction.interactionId());
        record.put(at[1], interaction.kochavaAppId());
        record.put(
                at[2], new GenericData.EnumSymbol(typeSchema, interaction.kind().name()));
        record.put(at[3], interaction.fbUserId());
        record.put(at[4], interaction.occurredAtMillis());
        record.put(at[5], interaction.eventName());
        record.put(at[6], interaction.eventData());
        record.put(at[7], interaction.trackingUrl());
        record.put(at[8], interaction.deviceIds());
        record.put(at[9], interaction.originationIp());
        return write(header(interactionHeaders, topic, interactionSchema), interactionWriter, record);
    }

    public byte[] avro(String topic, SampleLink link) {
        GenericRecord record = new GenericData.Record(linkSchema);
        record.put(linkFields[0], link.fbUserId());
        record.put(linkFields[1], link.deviceIds());
        record.put(linkFields[2], link.updatedAtMillis());
        return write(header(linkHeaders, topic, linkSchema), linkWriter, record);
    }

    /**
     * @param isoText occurred_at as ISO-8601 text and event_data as JSON text in a string, rather than epoch
     *                millis and an embedded object: both forms are part of the contract
     */
    public byte[] json(SampleInteraction interaction, boolean isoText) {
        StringBuilder json = new StringBuilder(256).append("{\"interaction_id\":");
        JsonText.quote(json, interaction.interactionId());
        JsonText.member(json, "kochava_app_id", interaction.kochavaAppId());
        json.append(",\"type\":\"").append(interaction.kind().name()).append('"');
        if (interaction.fbUserId() != null) {
            JsonText.member(json, "fb_user_id", interaction.fbUserId());
        }
        if (isoText) {
            JsonText.member(
                    json,
                    "occurred_at",
                    Instant.ofEpochMilli(interaction.occurredAtMillis()).toString());
        } else {
            json.append(",\"occurred_at\":").append(interaction.occurredAtMillis());
        }
        if (interaction.eventName() != null) {
            JsonText.member(json, "event_name", interaction.eventName());
        }
        if (interaction.eventData() != null) {
            if (isoText) {
                JsonText.member(json, "event_data", interaction.eventData());
            } else {
                json.append(",\"event_data\":").append(interaction.eventData());
            }
        }
        if (interaction.trackingUrl() != null) {
            JsonText.member(json, "tracking_url", interaction.trackingUrl());
        }
        if (!interaction.deviceIds().isEmpty()) {
            appendMap(json.append(",\"device_ids\":"), interaction.deviceIds());
        }
        if (interaction.originationIp() != null) {
            JsonText.member(json, "origination_ip", interaction.originationIp());
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    public byte[] json(SampleLink link) {
        StringBuilder json = new StringBuilder(128).append("{\"fb_user_id\":");
        JsonText.quote(json, link.fbUserId());
        appendMap(json.append(",\"device_ids\":"), link.deviceIds());
        json.append(",\"updated_at\":").append(link.updatedAtMillis());
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void appendMap(StringBuilder json, Map<String, String> map) {
        json.append('{');
        boolean first = true;
        for (Map.Entry<String, String> entry : map.entrySet()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            JsonText.quote(json, entry.getKey()).append(':');
            JsonText.quote(json, entry.getValue());
        }
        json.append('}');
    }

    /** The frame header of {@code schema} under the subject {@code <topic>-value}, registered on first use. */
    private byte[] header(ConcurrentMap<String, byte[]> headers, String topic, Schema schema) {
        byte[] header = headers.get(topic);
        if (header == null) {
            header = headers.computeIfAbsent(
                    topic,
                    ignored -> ByteBuffer.allocate(5)
                            .put(MAGIC_BYTE)
                            .putInt(registry.register(topic + "-value", schema))
                            .array());
        }
        return header;
    }

    private static byte[] write(byte[] header, GenericDatumWriter<GenericRecord> writer, GenericRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(header);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static int[] positions(Schema schema, String... fields) {
        int[] positions = new int[fields.length];
        for (int i = 0; i < fields.length; i++) {
            Schema.Field field = schema.getField(fields[i]);
            if (field == null) {
                throw new IllegalArgumentException(schema.getFullName() + " has no field " + fields[i]);
            }
            positions[i] = field.pos();
        }
        return positions;
    }
}
