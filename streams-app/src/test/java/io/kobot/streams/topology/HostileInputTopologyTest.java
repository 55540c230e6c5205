package io.kobot.streams.topology;

import static io.kobot.streams.topology.Interactions.click;
import static io.kobot.streams.topology.Interactions.event;
import static io.kobot.streams.topology.Interactions.json;
import static io.kobot.streams.topology.Interactions.link;
import static io.kobot.streams.topology.TopologyFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.streams.ingest.InputLimits;
import io.kobot.streams.metrics.PipelineMetrics;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Records built to hurt: empty and null values, deep nesting, huge maps and strings, numbers for ids, big links. */
class HostileInputTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final long T = T0.toEpochMilli();

    private TopologyFixture fixture = new TopologyFixture(TopologySettings.DEFAULTS);

    @AfterEach
    void close() {
        fixture.close();
    }

    private List<String> reasons() {
        return fixture.deadLetters().stream()
                .map(r -> r.value().getReasonCode())
                .toList();
    }

    /** The next valid record still flows: nothing above stopped the pipeline. */
    private void assertStillFlowing() {
        fixture.pipeAvro(event("after", "u-after", T0).build(), T0);
        assertThat(fixture.engagements())
                .extracting(r -> r.value().getInteractionId())
                .containsExactly("after");
    }

    @Nested
    class NothingVanishes {
        @Test
        void anEmptyValueAndATombstoneAreDeadLetteredWithTheirOwnCodes() {
            fixture.pipeRaw("u-1", new byte[0], T0);
            fixture.pipeRaw("u-2", null, T0);

            List<TestRecord<byte[], DeadLetter>> out = fixture.deadLetters();
            assertThat(out).extracting(r -> r.value().getReasonCode()).containsExactly("EMPTY_VALUE", "NULL_VALUE");
            assertThat(out.get(0).value().getOriginalValue()).isEqualTo(ByteBuffer.wrap(new byte[0]));
            assertThat(out.get(1).value().getOriginalValue()).isNull();
            assertThat(out.get(1).value().getOriginalKey()).isEqualTo(ByteBuffer.wrap(utf8("u-2")));
            assertThat(fixture.metrics.count(PipelineMetrics.DEAD_LETTER_PREFIX + "NULL_VALUE"))
                    .isEqualTo(1);
            assertStillFlowing();
        }
    }

    @Nested
    class Nesting {
        private String nested(int depth) {
            return "[".repeat(depth) + "]".repeat(depth);
        }

        @Test
        void tenThousandLevelsOfJsonEventDataAreTooDeepNotUnparseable() {
            fixture.pipeJson(
                    "u-1", json("i-1", "u-1", "EVENT", T, "\"event_name\":\"P\",\"event_data\":" + nested(10_000)), T0);
            // The same as JSON text in a string, and in an Avro record.
            fixture.pipeJson(
                    "u-1",
                    json("i-2", "u-1", "EVENT", T, "\"event_name\":\"P\",\"event_data\":\"" + nested(10_000) + "\""),
                    T0);
            fixture.pipeAvro(
                    event("i-3", "u-1", T0).setEventData(nested(10_000)).build(), T0);

            assertThat(reasons()).containsExactly("EVENT_DATA_TOO_DEEP", "EVENT_DATA_TOO_DEEP", "EVENT_DATA_TOO_DEEP");
            assertStillFlowing();
        }

        @Test
        void theLimitItselfIsAcceptedAndOneMoreLevelIsNot() {
            int limit = InputLimits.DEFAULTS.maxEventDataDepth();
            fixture.pipeJson(
                    "u-1", json("i-1", "u-1", "EVENT", T, "\"event_name\":\"P\",\"event_data\":" + nested(limit)), T0);
            fixture.pipeJson(
                    "u-1",
                    json("i-2", "u-1", "EVENT", T, "\"event_name\":\"P\",\"event_data\":" + nested(limit + 1)),
                    T0);
            fixture.pipeAvro(
                    event("i-3", "u-1", T0)
                            .setEventData("{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}")
                            .build(),
                    T0);

            assertThat(reasons()).containsExactly("EVENT_DATA_TOO_DEEP");
            assertThat(fixture.engagements())
                    .extracting(r -> r.value().getInteractionId())
                    .containsExactly("i-1", "i-3");
        }
    }

    @Nested
    class NumbersForStrings {
        @Test
        void integerIdsBeyondTwoToTheFiftyThreeKeepEveryDigit() {
            fixture.pipeJson(
                    "1234567890123456789",
                    "{\"interaction_id\":98765432109876543210987,"
                            + "\"kochava_app_id\":\"app\",\"type\":\"EVENT\",\"fb_user_id\":1234567890123456789,"
                            + "\"occurred_at\":" + T
                            + ",\"event_name\":\"P\",\"device_ids\":{\"adid\":9007199254740993}}",
                    T0);

            Engagement engagement = fixture.engagements().get(0).value();
            assertThat(engagement.getFbUserId()).isEqualTo("1234567890123456789");
            assertThat(engagement.getInteractionId()).isEqualTo("98765432109876543210987");
            assertThat(engagement.getDeviceIds()).containsEntry("adid", "9007199254740993");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"1234567890123456789.0", "1.2345678901234567E18", "12e3", "-0.5"})
        void decimalsAndExponentsAreRefused(String number) {
            fixture.pipeJson(
                    "u-1",
                    "{\"interaction_id\":\"i-1\",\"kochava_app_id\":\"app\",\"type\":\"EVENT\"," + "\"fb_user_id\":"
                            + number + ",\"occurred_at\":" + T + ",\"event_name\":\"P\"}",
                    T0);

            assertThat(reasons()).containsExactly("INVALID_FIELD_TYPE");
        }
    }

    @Nested
    class Sizes {
        @Test
        void aHundredThousandDeviceIdsAreTooMany() {
            StringBuilder ids = new StringBuilder();
            for (int i = 0; i < 100_000; i++) {
                ids.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
            }
            fixture.pipeJson(
                    "u-1", json("i-1", "u-1", "EVENT", T, "\"event_name\":\"P\",\"device_ids\":{" + ids + "}"), T0);
            Map<String, String> many = new HashMap<>();
            for (int i = 0; i < 100_000; i++) {
                many.put(Integer.toString(i), "");
            }
            fixture.pipeAvro(event("i-2", "u-1", T0).setDeviceIds(many).build(), T0);

            assertThat(reasons()).containsExactly("DEVICE_IDS_TOO_MANY", "DEVICE_IDS_TOO_MANY");
            assertStillFlowing();
        }

        @Test
        void fewButHugeDeviceIdsAreTooLarge() {
            fixture.pipeAvro(
                    event("i-1", "u-1", T0)
                            .setDeviceIds(Map.of("adid", "x".repeat(5000)))
                            .build(),
                    T0);

            assertThat(reasons()).containsExactly("DEVICE_IDS_TOO_LARGE");
        }

        @Test
        void everyStringFieldHasALimitCountedInUtf8Bytes() {
            String kib = "x".repeat(1025);
            String multiByte = "é".repeat(513); // 1026 bytes in 513 characters
            fixture.pipeAvro(event(kib, "u-1", T0).build(), T0);
            fixture.pipeAvro(event("i-2", "u-1", T0).setKochavaAppId(multiByte).build(), T0);
            fixture.pipeAvro(event("i-3", kib, T0).build(), T0);
            fixture.pipeAvro(event("i-4", "u-1", T0).setEventName(kib).build(), T0);
            fixture.pipeAvro(event("i-5", "u-1", T0).setOriginationIp(kib).build(), T0);
            fixture.pipeAvro(
                    event("i-6", "u-1", T0).setUserAgent("y".repeat(2049)).build(), T0);
            fixture.pipeAvro(
                    click("i-7", "u-1", T0)
                            .setTrackingUrl("https://smart.link/" + "z".repeat(2040))
                            .build(),
                    T0);
            // At the limits: accepted.
            fixture.pipeAvro(
                    event("x".repeat(1024), "u-1", T0)
                            .setUserAgent("y".repeat(2048))
                            .build(),
                    T0);

            List<TestRecord<byte[], DeadLetter>> out = fixture.deadLetters();
            assertThat(out)
                    .extracting(r -> r.value().getReasonCode())
                    .containsOnly("FIELD_TOO_LONG")
                    .hasSize(7);
            assertThat(out)
                    .extracting(r -> r.value().getMessage().split(" ")[0])
                    .containsExactly(
                            "interaction_id",
                            "kochava_app_id",
                            "fb_user_id",
                            "event_name",
                            "origination_ip",
                            "user_agent",
                            "tracking_url");
            assertThat(fixture.engagements()).hasSize(1);
        }

        @Test
        void aLinkWithTooManyOrTooLargeDeviceIdsIsDeadLetteredAndTheUserStaysUnlinked() {
            Map<String, String> many = new HashMap<>();
            for (int i = 0; i < 65; i++) {
                many.put("k" + i, "v");
            }
            fixture.pipeLink(link("u-1", T0, many), T0);
            fixture.pipeLink(link("u-1", T0, Map.of("adid", "x".repeat(17_000))), T0);
            fixture.pipeAvro(event("i-1", "u-1", T0).build(), T0);

            assertThat(reasons()).containsExactly("IDENTITY_LINK_TOO_LARGE", "IDENTITY_LINK_TOO_LARGE");
            assertThat(fixture.engagements().get(0).value().getIdentityLinked()).isFalse();
        }

        @Test
        void aLinkThatPushesAnEngagementPastItsLimitDeadLettersItBeforeItIsWritten() {
            fixture.close();
            InputLimits small = new InputLimits(64, 256, 256, 4, 256, 8, 64, 16 * 1024, 4096);
            fixture = new TopologyFixture(TopologySettings.DEFAULTS.withLimits(small));
            Map<String, String> big = new HashMap<>();
            for (int i = 0; i < 40; i++) {
                big.put("device_" + i, "v".repeat(100));
            }
            fixture.pipeLink(link("u-1", T0, big), T0);
            fixture.pipeLink(link("u-2", T0, Map.of("adid", "A-2")), T0);
            fixture.pipeAvro(event("i-1", "u-1", T0).build(), T0);
            fixture.pipeAvro(event("i-2", "u-2", T0).build(), T0);

            List<TestRecord<byte[], DeadLetter>> out = fixture.deadLetters();
            assertThat(out).extracting(r -> r.value().getReasonCode()).containsExactly("ENGAGEMENT_TOO_LARGE");
            DeadLetter deadLetter = out.get(0).value();
            assertThat(deadLetter.getStage()).isEqualTo("enrich");
            assertThat(deadLetter.getInteractionId()).isEqualTo("i-1");
            assertThat(deadLetter.getSourceTopic()).isNotNull();
            assertThat(fixture.engagements())
                    .extracting(r -> r.value().getInteractionId())
                    .containsExactly("i-2");
        }
    }
}
