package io.kobot.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.schema.BotInteraction;
import io.kobot.schema.IdentityLink;
import io.kobot.schema.InteractionType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Records written with another version of BotInteraction's schema read into the current class. */
class SchemaResolutionTest {

    private static final String SCOPE = "resolution-test";
    private static final Map<String, Object> CONFIG = Map.of("schema.registry.url", "mock://" + SCOPE);
    private static final Schema INTERACTION_TYPE =
            BotInteraction.getClassSchema().getField("type").schema();

    @AfterEach
    void dropScope() {
        SchemaRegistryClients.dropMockScope(SCOPE);
    }

    @Test
    void fillsDefaultsForFieldsAnOlderWriterDidNotHave() throws IOException {
        // v1: before event_data, tracking_url, device_ids, origination_ip and user_agent existed.
        Schema v1 = SchemaBuilder.record("BotInteraction")
                .namespace("io.kobot.schema")
                .fields()
                .requiredString("interaction_id")
                .requiredString("kochava_app_id")
                .name("type")
                .type(INTERACTION_TYPE)
                .noDefault()
                .optionalString("fb_user_id")
                .name("occurred_at")
                .type(timestampMillis())
                .noDefault()
                .optionalString("event_name")
                .endRecord();
        GenericRecord old = new GenericData.Record(v1);
        old.put("interaction_id", "i-old");
        old.put("kochava_app_id", "kobot-demo-1a2b3c");
        old.put("type", new GenericData.EnumSymbol(INTERACTION_TYPE, "EVENT"));
        old.put("fb_user_id", "fb-user-1");
        old.put("occurred_at", TestRecords.AT.toEpochMilli());
        old.put("event_name", "Start Chatting");

        BotInteraction read = readAsCurrent(v1, old);

        assertThat(read.getInteractionId()).isEqualTo("i-old");
        assertThat(read.getType()).isEqualTo(InteractionType.EVENT);
        assertThat(read.getOccurredAt()).isEqualTo(TestRecords.AT);
        assertThat(read.getEventName()).isEqualTo("Start Chatting");
        assertThat(read.getEventData()).isNull();
        assertThat(read.getTrackingUrl()).isNull();
        assertThat(read.getDeviceIds()).isEmpty();
        assertThat(read.getOriginationIp()).isNull();
        assertThat(read.getUserAgent()).isNull();
    }

    @Test
    void skipsFieldsANewerWriterAdded() throws IOException {
        Schema v3 = SchemaBuilder.record("BotInteraction")
                .namespace("io.kobot.schema")
                .fields()
                .requiredString("interaction_id")
                .requiredString("kochava_app_id")
                .name("type")
                .type(INTERACTION_TYPE)
                .noDefault()
                .name("occurred_at")
                .type(timestampMillis())
                .noDefault()
                .name("channel")
                .type()
                .stringType()
                .stringDefault("messenger")
                .endRecord();
        GenericRecord newer = new GenericData.Record(v3);
        newer.put("interaction_id", "i-new");
        newer.put("kochava_app_id", "kobot-demo-1a2b3c");
        newer.put("type", new GenericData.EnumSymbol(INTERACTION_TYPE, "CLICK"));
        newer.put("occurred_at", TestRecords.AT.toEpochMilli());
        newer.put("channel", "whatsapp");

        BotInteraction read = readAsCurrent(v3, newer);

        assertThat(read.getInteractionId()).isEqualTo("i-new");
        assertThat(read.getType()).isEqualTo(InteractionType.CLICK);
        assertThat(read.getFbUserId()).isNull();
    }

    @Test
    void readsAnIdentityLinkWrittenBeforeKochavaAppIdExisted() throws IOException {
        Schema v1 = SchemaBuilder.record("IdentityLink")
                .namespace("io.kobot.schema")
                .fields()
                .requiredString("fb_user_id")
                .name("device_ids")
                .type()
                .map()
                .values()
                .stringType()
                .mapDefault(Map.of())
                .name("updated_at")
                .type(timestampMillis())
                .noDefault()
                .endRecord();
        GenericRecord old = new GenericData.Record(v1);
        old.put("fb_user_id", "fb-user-1");
        old.put("device_ids", Map.of("idfa", "A-1"));
        old.put("updated_at", TestRecords.AT.toEpochMilli());

        IdentityLink read = readAsCurrent(IdentityLink.class, "links", v1, old);

        assertThat(read.getFbUserId()).isEqualTo("fb-user-1");
        assertThat(read.getDeviceIds()).containsEntry("idfa", "A-1");
        assertThat(read.getUpdatedAt()).isEqualTo(TestRecords.AT);
        assertThat(read.getKochavaAppId()).isNull();
    }

    private static Schema timestampMillis() {
        return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    }

    private static BotInteraction readAsCurrent(Schema writerSchema, GenericRecord record) throws IOException {
        return readAsCurrent(BotInteraction.class, "interactions", writerSchema, record);
    }

    private static <T extends SpecificRecord> T readAsCurrent(
            Class<T> type, String topic, Schema writerSchema, GenericRecord record) throws IOException {
        try (SchemaRegistryClient registry = SchemaRegistryClients.create(SchemaRegistryConfig.from(CONFIG));
                SpecificAvroDeserializer<T> deserializer = new SpecificAvroDeserializer<>(type)) {
            int id = registry.register(topic + "-value", writerSchema);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(AvroWireFormat.header(id));
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(writerSchema).write(record, encoder);
            encoder.flush();
            deserializer.configure(CONFIG, false);
            return deserializer.deserialize(topic, out.toByteArray());
        }
    }
}
