package io.kobot.connect.kochava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kobot.schema.Engagement;
import io.kobot.schema.InteractionType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

class EngagementValuesTest {

    @Test
    void aStructOfTheEngagementSchemaMapsBackToTheSameEngagement() {
        Engagement engagement = TestEngagements.event("i-1", "Purchase");

        assertThat(EngagementValues.fromStruct(EngagementSchema.toStruct(engagement), 1L))
                .isEqualTo(engagement);
    }

    @Test
    void aStructFromAnotherConverterNeedsOnlyTheRequiredFields() {
        Schema schema = SchemaBuilder.struct()
                .field("interaction_id", Schema.STRING_SCHEMA)
                .field("kochava_app_id", Schema.STRING_SCHEMA)
                .field("type", Schema.STRING_SCHEMA)
                .field("tracking_url", Schema.OPTIONAL_STRING_SCHEMA)
                .field("occurred_at", Schema.INT64_SCHEMA)
                .build();
        Struct struct = new Struct(schema)
                .put("interaction_id", "i-2")
                .put("kochava_app_id", "app")
                .put("type", "click")
                .put("tracking_url", "https://smart.link/x")
                .put("occurred_at", 1_000L);

        Engagement engagement = EngagementValues.fromStruct(struct, 5_000L);

        assertThat(engagement.getType()).isEqualTo(InteractionType.CLICK);
        assertThat(engagement.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1_000));
        assertThat(engagement.getIngestedAt())
                .as("the record timestamp stands in")
                .isEqualTo(Instant.ofEpochMilli(5_000));
        assertThat(engagement.getDeviceIds()).isEmpty();
        assertThat(engagement.getIdentityLinked()).isFalse();
    }

    @Test
    void schemalessJsonFromJsonConverterMaps() {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "false"), false);
        String json =
                "{\"interaction_id\":\"i-3\",\"kochava_app_id\":\"app\",\"type\":\"EVENT\",\"fb_user_id\":\"fb-3\","
                        + "\"occurred_at\":\"2026-03-01T12:00:00.123Z\",\"event_name\":\"Purchase\","
                        + "\"event_data\":{\"sum\":100,\"currency\":\"USD\"},\"device_ids\":{\"adid\":\"ad-1\"},"
                        + "\"identity_linked\":true,\"ingested_at\":1772366400373}";

        Object value = converter
                .toConnectData("bot.engagements", json.getBytes(StandardCharsets.UTF_8))
                .value();
        Engagement engagement = EngagementValues.fromMap((Map<?, ?>) value, null);

        assertThat(engagement.getOccurredAt()).isEqualTo(TestEngagements.OCCURRED_AT);
        assertThat(engagement.getIngestedAt()).isEqualTo(TestEngagements.INGESTED_AT);
        assertThat(engagement.getEventData()).isEqualTo("{\"sum\":100,\"currency\":\"USD\"}");
        assertThat(engagement.getDeviceIds()).containsExactlyEntriesOf(Map.of("adid", "ad-1"));
        assertThat(engagement.getFbUserId()).isEqualTo("fb-3");
        assertThat(engagement.getIdentityLinked()).isTrue();
    }

    @Test
    void eventDataAsJsonTextStaysAsItIs() {
        Map<String, Object> map = minimal();
        map.put("event_data", "\"20\"");

        assertThat(EngagementValues.fromMap(map, null).getEventData()).isEqualTo("\"20\"");
    }

    @Test
    void missingOrMistypedFieldsArePermanentDataErrors() {
        Map<String, Object> noId = minimal();
        noId.remove("interaction_id");
        Map<String, Object> badType = minimal();
        badType.put("type", "VIEW");
        Map<String, Object> badTime = minimal();
        badTime.put("occurred_at", "yesterday");
        Map<String, Object> badIds = minimal();
        badIds.put("device_ids", "adid=1");

        assertThatThrownBy(() -> EngagementValues.fromMap(noId, null))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("interaction_id is missing");
        assertThatThrownBy(() -> EngagementValues.fromMap(badType, null))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("IMPRESSION, CLICK or EVENT");
        assertThatThrownBy(() -> EngagementValues.fromMap(badTime, null))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("occurred_at");
        assertThatThrownBy(() -> EngagementValues.fromMap(badIds, null))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("device_ids");
    }

    private static Map<String, Object> minimal() {
        Map<String, Object> map = new HashMap<>();
        map.put("interaction_id", "i-4");
        map.put("kochava_app_id", "app");
        map.put("type", "EVENT");
        map.put("fb_user_id", "fb-4");
        map.put("event_name", "Start Chatting");
        map.put("occurred_at", 1_000L);
        return map;
    }
}
