package io.kobot.streams.ingest;

import static io.kobot.streams.ingest.SchemaFieldsByName.assertCopiedByName;
import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.kochava.PingHostAllowlist;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.InteractionType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Ingest builds interactions with Avro's positional all-args constructor (no builder checks and copies per
 * record): every field must land in the field of its own name, whatever the schema's order.
 */
class AllArgsConstructionTest {
    private static final Instant OCCURRED_AT = Instant.ofEpochMilli(1_700_000_000_123L);

    /** Every field a different value, so that two fields swapped show. */
    private static BotInteraction interaction(InteractionType type) {
        return BotInteraction.newBuilder()
                .setInteractionId("interaction-id-value")
                .setKochavaAppId("kochava-app-id-value")
                .setType(type)
                .setFbUserId("fb-user-id-value")
                .setOccurredAt(OCCURRED_AT)
                .setEventName("event-name-value")
                .setEventData("\"event-data-value\"")
                .setTrackingUrl("https://track.partner.example/tracking-url-value")
                .setDeviceIds(Map.of("idfa", "idfa-value"))
                .setOriginationIp("203.0.113.7")
                .setUserAgent("user-agent-value")
                .build();
    }

    @Test
    void aValidatedInteractionKeepsEveryFieldInItsPlace() throws Exception {
        InteractionValidator validator = new InteractionValidator(
                Duration.ofMinutes(10), 65_536, PingHostAllowlist.of(List.of("*.partner.example")));

        for (InteractionType type : InteractionType.values()) {
            BotInteraction input = interaction(type);
            BotInteraction validated = validator.validate(input, OCCURRED_AT.toEpochMilli());
            assertCopiedByName(input, validated, Set.of());
            assertThat(validated).as(type.name()).isEqualTo(input);
        }
    }

    @Test
    void aJsonInteractionPutsEveryMemberInTheFieldOfItsName() throws Exception {
        String json = """
                {"interaction_id": "interaction-id-value", "kochava_app_id": "kochava-app-id-value",
                 "type": "CLICK", "fb_user_id": "fb-user-id-value", "occurred_at": "2023-11-14T22:13:20.123Z",
                 "event_name": "event-name-value", "event_data": "event-data-value",
                 "tracking_url": "https://track.partner.example/tracking-url-value",
                 "device_ids": {"idfa": "idfa-value"}, "origination_ip": "203.0.113.7",
                 "user_agent": "user-agent-value"}
                """;

        BotInteraction read = new JsonInteractionReader(32).read(json.getBytes(StandardCharsets.UTF_8));

        assertCopiedByName(interaction(InteractionType.CLICK), read, Set.of());
    }
}
