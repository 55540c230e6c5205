package io.kobot.streams.topology;

import static io.kobot.streams.topology.Interactions.click;
import static io.kobot.streams.topology.Interactions.event;
import static io.kobot.streams.topology.Interactions.link;
import static io.kobot.streams.topology.TopologyFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.streams.ingest.InputLimits;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Records carrying recognisable personal values, rejected for every reason ingest, validation and enrichment have:
 * no dead-letter message (the human-readable text, which is logged and read by people) contains any of them. The
 * original bytes are kept on purpose, in their own fields.
 */
class DeadLetterPrivacyTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final long T = T0.toEpochMilli();
    private static final String USER = "PIIUSER4242";
    private static final String NUMERIC_USER = "8765432109876543210";
    private static final String DEVICE = "PIIDEVICE77";
    private static final String IP = "198.51.100.23";
    private static final String AGENT = "PIIAGENT/9.1";
    private static final List<String> PERSONAL = List.of(USER, NUMERIC_USER, DEVICE, IP, AGENT);

    private TopologyFixture fixture = new TopologyFixture(TopologySettings.DEFAULTS.withLimits(
            new InputLimits(1024, 2048, 2048, 32, 4096, 32, 64, 16 * 1024, 70 * 1024)));

    @AfterEach
    void close() {
        fixture.close();
    }

    private String json(String fields) {
        return "{\"interaction_id\":\"i-" + USER + "\",\"kochava_app_id\":\"app\",\"type\":\"EVENT\",\"fb_user_id\":\""
                + USER + "\",\"occurred_at\":" + T + ",\"event_name\":\"P\",\"origination_ip\":\"" + IP
                + "\",\"user_agent\":\"" + AGENT + "\",\"device_ids\":{\"adid\":\"" + DEVICE + "\"}" + fields + "}";
    }

    private BotInteraction.Builder personal(String id) {
        return event(id, USER, T0).setOriginationIp(IP).setUserAgent(AGENT).setDeviceIds(Map.of("adid", DEVICE));
    }

    @Test
    void noDeadLetterMessageCarriesAPersonalValue() {
        // JSON: unparseable near the values, wrong types, too deep, too long, too many, bad event_data.
        fixture.pipeJson(USER, "{\"fb_user_id\":\"" + USER + "\",\"adid\":\"" + DEVICE + "\" oops", T0);
        fixture.pipeJson(USER, json(",\"event_name\":{\"" + USER + "\":\"" + IP + "\"}"), T0);
        fixture.pipeJson(USER, json(",\"occurred_at\":\"" + USER + "\""), T0);
        fixture.pipeJson(USER, json(",\"type\":\"" + AGENT + "\""), T0);
        fixture.pipeJson(USER, json(",\"event_data\":" + "[".repeat(100) + "\"" + USER + "\"" + "]".repeat(100)), T0);
        fixture.pipeJson(USER, json(",\"event_data\":\"{" + USER + "\""), T0);
        fixture.pipeJson(
                NUMERIC_USER,
                "{\"interaction_id\":\"i-1\",\"kochava_app_id\":\"app\",\"type\":\"EVENT\"," + "\"fb_user_id\":"
                        + NUMERIC_USER + ".5,\"occurred_at\":" + T + ",\"event_name\":\"P\"}",
                T0);
        // Avro: corrupt bytes around the values, missing fields, future, bad URL, sizes.
        byte[] valid = fixture.avro(personal("i-a").build());
        fixture.pipeRaw(USER, Arrays.copyOf(valid, valid.length - 3), T0);
        byte[] corrupt = valid.clone();
        corrupt[6] = (byte) 0x7F;
        fixture.pipeRaw(USER, corrupt, T0);
        fixture.pipeAvro(personal("i-b").setEventName(null).build(), T0);
        fixture.pipeAvro(personal("i-c").setOccurredAt(T0.plusSeconds(7200)).build(), T0);
        fixture.pipeAvro(
                click("i-d", USER, T0)
                        .setTrackingUrl(USER + "://" + IP + "/?u=" + USER)
                        .build(),
                T0);
        fixture.pipeAvro(
                click("i-e", USER, T0)
                        .setTrackingUrl("https://smart.link/" + USER + "/" + "x".repeat(2100))
                        .build(),
                T0);
        fixture.pipeAvro(personal("i-f").setUserAgent(AGENT + "x".repeat(3000)).build(), T0);
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            many.put(DEVICE + i, USER);
        }
        fixture.pipeAvro(personal("i-g").setDeviceIds(many).build(), T0);
        fixture.pipeAvro(
                personal("i-h").setDeviceIds(Map.of("adid", DEVICE.repeat(500))).build(), T0);
        // Links: wrong key, too large; and an engagement too large through its link.
        fixture.pipeLinkRaw(DEVICE, fixture.avro(link(USER, T0, Map.of("adid", DEVICE))), T0);
        fixture.pipeLinkRaw(
                USER, utf8("{\"fb_user_id\":\"" + USER + "\",\"device_ids\":{\"adid\":\"" + DEVICE + "\"}}"), T0);
        fixture.pipeLink(link(USER, T0, Map.of("adid", DEVICE.repeat(2000))), T0);
        Map<String, String> big = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            big.put(DEVICE + i, IP.repeat(15));
        }
        fixture.pipeLink(link(USER, T0, big), T0);
        fixture.pipeAvro(
                personal("i-z").setEventData("\"" + AGENT.repeat(5000) + "\"").build(), T0);
        fixture.pipeRaw(USER, new byte[0], T0);
        fixture.pipeRaw(USER, null, T0);

        List<DeadLetter> deadLetters =
                fixture.deadLetters().stream().map(r -> r.value()).toList();
        assertThat(deadLetters)
                .extracting(DeadLetter::getReasonCode)
                .contains(
                        "UNPARSEABLE",
                        "INVALID_FIELD_TYPE",
                        "INVALID_TYPE",
                        "EVENT_DATA_TOO_DEEP",
                        "INVALID_EVENT_DATA",
                        "INVALID_AVRO",
                        "MISSING_EVENT_NAME",
                        "OCCURRED_AT_IN_FUTURE",
                        "INVALID_TRACKING_URL",
                        "FIELD_TOO_LONG",
                        "DEVICE_IDS_TOO_MANY",
                        "DEVICE_IDS_TOO_LARGE",
                        "INVALID_IDENTITY_LINK",
                        "IDENTITY_LINK_TOO_LARGE",
                        "ENGAGEMENT_TOO_LARGE",
                        "EMPTY_VALUE",
                        "NULL_VALUE");
        assertThat(deadLetters).hasSizeGreaterThanOrEqualTo(21);
        for (DeadLetter deadLetter : deadLetters) {
            for (String value : PERSONAL) {
                assertThat(deadLetter.getMessage())
                        .as(deadLetter.getReasonCode())
                        .doesNotContain(value);
                assertThat(deadLetter.getStage()).doesNotContain(value);
            }
        }
        // The original bytes are what the record was: kept on purpose, apart from the message.
        assertThat(new String(deadLetters.get(0).getOriginalValue().array(), StandardCharsets.UTF_8))
                .contains(USER);
    }
}
