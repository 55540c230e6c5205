package io.kobot.devstack.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

class WireEncoderTest {
    private static final SampleInteraction EVENT = new SampleInteraction(
            3,
            "i-3",
            "app-1",
            InteractionKind.EVENT,
            "u\"1",
            1_700_000_000_123L,
            "Purchase",
            "{\"id\":\"3\",\"sum\":5}",
            null,
            "203.0.113.4",
            Map.of("adid", "ad-1"));

    @Test
    void avroIsConfluentFramedUnderTheTopicsValueSubjectAndDecodesWithTheContractSchema() throws IOException {
        List<String> subjects = new ArrayList<>();
        WireEncoder encoder = new WireEncoder(ContractSchemas.INTERACTION, ContractSchemas.LINK, (subject, schema) -> {
            subjects.add(subject + " " + schema.getName());
            return 42;
        });

        byte[] first = encoder.avro("bot.interactions", EVENT);
        byte[] again = encoder.avro("bot.interactions", EVENT);
        byte[] link = encoder.avro("bot.identity-links", new SampleLink("u1", Map.of("adid", "ad-1"), 5L));

        assertThat(subjects)
                .as("each subject and schema registered once")
                .containsExactly("bot.interactions-value BotInteraction", "bot.identity-links-value IdentityLink");
        assertThat(again).isEqualTo(first);
        assertThat(first[0]).isZero();
        assertThat(ByteBuffer.wrap(first, 1, 4).getInt()).isEqualTo(42);
        GenericRecord decoded = decode(first, ContractSchemas.INTERACTION);
        assertThat(decoded.get("interaction_id")).hasToString("i-3");
        assertThat(decoded.get("type")).hasToString("EVENT");
        assertThat(decoded.get("fb_user_id")).hasToString("u\"1");
        assertThat(decoded.get("occurred_at")).isEqualTo(1_700_000_000_123L);
        assertThat(decoded.get("event_data")).hasToString("{\"id\":\"3\",\"sum\":5}");
        assertThat(decoded.get("tracking_url")).isNull();
        assertThat(decoded.get("origination_ip")).hasToString("203.0.113.4");
        assertThat(decode(link, ContractSchemas.LINK).get("updated_at")).isEqualTo(5L);
    }

    @Test
    void jsonComesInBothFormsOfTheContractWithStringsEscaped() {
        WireEncoder encoder = ContractSchemas.encoder();

        String json = new String(encoder.json(EVENT, false), StandardCharsets.UTF_8);
        String isoText = new String(encoder.json(EVENT, true), StandardCharsets.UTF_8);

        assertThat(json)
                .isEqualTo("{\"interaction_id\":\"i-3\",\"kochava_app_id\":\"app-1\",\"type\":\"EVENT\","
                        + "\"fb_user_id\":\"u\\\"1\",\"occurred_at\":1700000000123,\"event_name\":\"Purchase\","
                        + "\"event_data\":{\"id\":\"3\",\"sum\":5},\"device_ids\":{\"adid\":\"ad-1\"},"
                        + "\"origination_ip\":\"203.0.113.4\"}");
        assertThat(isoText)
                .contains("\"occurred_at\":\"2023-11-14T22:13:20.123Z\"")
                .contains("\"event_data\":\"{\\\"id\\\":\\\"3\\\",\\\"sum\\\":5}\"");
        assertThat(new String(encoder.json(new SampleLink("u1", Map.of("adid", "a"), 9L)), StandardCharsets.UTF_8))
                .isEqualTo("{\"fb_user_id\":\"u1\",\"device_ids\":{\"adid\":\"a\"},\"updated_at\":9}");
    }

    private static GenericRecord decode(byte[] framed, Schema schema) throws IOException {
        return new GenericDatumReader<GenericRecord>(schema)
                .read(null, DecoderFactory.get().binaryDecoder(framed, 5, framed.length - 5, null));
    }
}
