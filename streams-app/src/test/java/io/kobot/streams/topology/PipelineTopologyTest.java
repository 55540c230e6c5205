package io.kobot.streams.topology;

import static io.kobot.streams.topology.Interactions.APP;
import static io.kobot.streams.topology.Interactions.click;
import static io.kobot.streams.topology.Interactions.event;
import static io.kobot.streams.topology.Interactions.json;
import static io.kobot.streams.topology.Interactions.link;
import static io.kobot.streams.topology.TopologyFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.kochava.PingHostAllowlist;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.schema.InteractionType;
import io.kobot.schema.deadletter.RejectionReason;
import io.kobot.streams.metrics.PipelineMetrics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PipelineTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final int PARTITIONS = 6;
    private static final Duration RETENTION = TopologySettings.DEFAULTS.dedupRetention();

    private TopologyFixture fixture = new TopologyFixture(TopologySettings.DEFAULTS);

    @AfterEach
    void close() {
        fixture.close();
    }

    /** A user id whose key Kafka Streams places in {@code partition} of {@value #PARTITIONS}. */
    private static String userPlacedIn(int partition) {
        for (int i = 0; ; i++) {
            String user = "u-" + i;
            if (Utils.toPositive(Utils.murmur2(utf8(user))) % PARTITIONS == partition) {
                return user;
            }
        }
    }

    private void restartWith(TopologySettings settings) {
        fixture.close();
        fixture = new TopologyFixture(settings);
    }

    @Nested
    class Ingest {
        @Test
        void avroEventBecomesAnEngagementKeyedByUser() {
            fixture.pipeAvro(
                    event("i-1", "u-1", T0)
                            .setOriginationIp("203.0.113.9")
                            .setUserAgent("Messenger/1")
                            .build(),
                    T0.plusSeconds(1));

            List<TestRecord<byte[], Engagement>> out = fixture.engagements();
            assertThat(out).hasSize(1);
            Engagement engagement = out.get(0).value();
            assertThat(out.get(0).key()).isEqualTo(utf8("u-1"));
            assertThat(engagement.getInteractionId()).isEqualTo("i-1");
            assertThat(engagement.getKochavaAppId()).isEqualTo(APP);
            assertThat(engagement.getType()).isEqualTo(InteractionType.EVENT);
            assertThat(engagement.getEventName()).isEqualTo("Purchase");
            assertThat(engagement.getEventData()).isEqualTo("{\"currency\":\"USD\",\"sum\":100}");
            assertThat(engagement.getDeviceIds()).containsExactly(Map.entry("fb_user_id", "u-1"));
            assertThat(engagement.getIdentityLinked()).isFalse();
            assertThat(engagement.getOriginationIp()).isEqualTo("203.0.113.9");
            assertThat(engagement.getUserAgent()).isEqualTo("Messenger/1");
            assertThat(engagement.getOccurredAt()).isEqualTo(T0);
            assertThat(engagement.getIngestedAt()).isEqualTo(T0.plusSeconds(1));
            assertThat(fixture.deadLetters()).isEmpty();
        }

        @Test
        void jsonEventWithIsoTimeAndObjectEventDataIsReadLikeAvro() {
            fixture.pipeJson(
                    "u-1",
                    json(
                            "i-1",
                            "u-1",
                            "event",
                            "2026-11-25T10:00:00Z",
                            "\"event_name\":\"Purchase\",\"event_data\":{ \"currency\" : \"USD\", \"sum\" : 100 },"
                                    + "\"device_ids\":{\"adid\":\"a-1\"}"),
                    T0);

            Engagement engagement = fixture.engagements().get(0).value();
            assertThat(engagement.getType()).isEqualTo(InteractionType.EVENT);
            assertThat(engagement.getOccurredAt()).isEqualTo(T0);
            assertThat(engagement.getEventData()).isEqualTo("{\"currency\":\"USD\",\"sum\":100}");
            assertThat(engagement.getDeviceIds())
                    .containsOnly(Map.entry("fb_user_id", "u-1"), Map.entry("adid", "a-1"));
        }

        @Test
        void jsonEventDataMayBeAValueOrJsonTextAndOccurredAtEpochMillis() {
            fixture.pipeJson(
                    "u-1",
                    json("i-1", "u-1", "EVENT", T0.toEpochMilli(), "\"event_name\":\"Tip\",\"event_data\":\"20\""),
                    T0);
            fixture.pipeJson(
                    "u-1",
                    json("i-2", "u-1", "EVENT", T0.toEpochMilli(), "\"event_name\":\"Tip\",\"event_data\":20"),
                    T0);
            fixture.pipeJson(
                    "u-1",
                    json(
                            "i-3",
                            "u-1",
                            "EVENT",
                            T0.toEpochMilli(),
                            "\"event_name\":\"Tip\",\"event_data\":\"{\\\"sum\\\": 5}\""),
                    T0);
            fixture.pipeJson("u-1", json("i-4", "u-1", "EVENT", T0.toEpochMilli(), "\"event_name\":\"Start\""), T0);

            assertThat(fixture.engagements())
                    .extracting(r -> r.value().getEventData())
                    .containsExactly("\"20\"", "20", "{\"sum\":5}", null);
        }

        @Test
        void clickWithoutUserFlowsOnWithoutTheJoin() {
            fixture.pipeRaw("i-9", fixture.avro(click("i-9", null, T0).build()), T0);

            List<TestRecord<byte[], Engagement>> out = fixture.engagements();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).key()).isEqualTo(utf8("i-9"));
            assertThat(out.get(0).value().getFbUserId()).isNull();
            assertThat(out.get(0).value().getDeviceIds()).isEmpty();
            assertThat(out.get(0).value().getTrackingUrl()).isEqualTo("https://smart.link/abc123?creative=greeting");
            assertThat(fixture.metrics.count(PipelineMetrics.WITHOUT_USER)).isEqualTo(1);
        }
    }

    @Nested
    class Validation {
        static Stream<Arguments> invalidJson() {
            long t = T0.toEpochMilli();
            return Stream.of(
                    Arguments.of(RejectionReason.UNPARSEABLE, "{\"interaction_id\": \"i-1\", "),
                    Arguments.of(RejectionReason.UNPARSEABLE, "[1, 2, 3]"),
                    Arguments.of(
                            RejectionReason.INVALID_FIELD_TYPE, json("i-1", "u-1", "EVENT", t, "\"event_name\":42")),
                    Arguments.of(
                            RejectionReason.INVALID_FIELD_TYPE,
                            json("i-1", "u-1", "EVENT", "yesterday", "\"event_name\":\"Purchase\"")),
                    Arguments.of(RejectionReason.INVALID_TYPE, json("i-1", "u-1", "VIEW", t, "")),
                    Arguments.of(
                            RejectionReason.MISSING_INTERACTION_ID,
                            json(null, "u-1", "EVENT", t, "\"event_name\":\"Purchase\"")),
                    Arguments.of(
                            RejectionReason.MISSING_KOCHAVA_APP_ID,
                            "{\"interaction_id\":\"i-1\",\"type\":\"EVENT\",\"fb_user_id\":\"u-1\","
                                    + "\"occurred_at\":" + t + ",\"event_name\":\"Purchase\"}"),
                    Arguments.of(
                            RejectionReason.MISSING_OCCURRED_AT,
                            "{\"interaction_id\":\"i-1\",\"kochava_app_id\":\"a\",\"type\":\"EVENT\","
                                    + "\"fb_user_id\":\"u-1\",\"event_name\":\"Purchase\"}"),
                    Arguments.of(
                            RejectionReason.MISSING_FB_USER_ID,
                            json("i-1", null, "EVENT", t, "\"event_name\":\"Purchase\"")),
                    Arguments.of(RejectionReason.MISSING_EVENT_NAME, json("i-1", "u-1", "EVENT", t, "")),
                    Arguments.of(RejectionReason.INVALID_TRACKING_URL, json("i-1", "u-1", "CLICK", t, "")),
                    Arguments.of(
                            RejectionReason.INVALID_TRACKING_URL,
                            json("i-1", "u-1", "IMPRESSION", t, "\"tracking_url\":\"ftp://smart.link/x\"")),
                    Arguments.of(
                            RejectionReason.INVALID_TRACKING_URL,
                            json("i-1", "u-1", "CLICK", t, "\"tracking_url\":\"https:///no-host\"")),
                    Arguments.of(
                            RejectionReason.INVALID_TRACKING_URL,
                            json("i-1", "u-1", "CLICK", t, "\"tracking_url\":\"http://bad host/\"")),
                    Arguments.of(
                            RejectionReason.OCCURRED_AT_IN_FUTURE,
                            json(
                                    "i-1",
                                    "u-1",
                                    "EVENT",
                                    T0.plus(Duration.ofMinutes(11)).toEpochMilli(),
                                    "\"event_name\":\"Purchase\"")),
                    Arguments.of(
                            RejectionReason.INVALID_EVENT_DATA,
                            json("i-1", "u-1", "EVENT", t, "\"event_name\":\"P\",\"event_data\":\"{not json\"")),
                    Arguments.of(
                            RejectionReason.EVENT_DATA_TOO_LARGE,
                            json(
                                    "i-1",
                                    "u-1",
                                    "EVENT",
                                    t,
                                    "\"event_name\":\"P\",\"event_data\":\"" + "x".repeat(64 * 1024) + "\"")),
                    Arguments.of(
                            RejectionReason.TRACKING_HOST_NOT_ALLOWED,
                            json("i-1", "u-1", "CLICK", t, "\"tracking_url\":\"http://169.254.169.254/latest\"")),
                    Arguments.of(
                            RejectionReason.TRACKING_HOST_NOT_ALLOWED,
                            json(
                                    "i-1",
                                    "u-1",
                                    "IMPRESSION",
                                    t,
                                    "\"tracking_url\":\"http://control.kochava.com@10.0.0.1/\"")));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("invalidJson")
        void invalidJsonIsDeadLetteredWithItsReasonAndBytes(RejectionReason reason, String value) {
            fixture.pipeJson("u-1", value, T0);

            assertDeadLettered(reason, utf8("u-1"), utf8(value));
        }

        static Stream<Arguments> invalidAvro() {
            return Stream.of(
                    Arguments.of(
                            RejectionReason.MISSING_INTERACTION_ID,
                            event("", "u-1", T0).build()),
                    Arguments.of(
                            RejectionReason.MISSING_KOCHAVA_APP_ID,
                            event("i-1", "u-1", T0).setKochavaAppId(" ").build()),
                    Arguments.of(
                            RejectionReason.MISSING_FB_USER_ID,
                            event("i-1", null, T0).build()),
                    Arguments.of(
                            RejectionReason.MISSING_EVENT_NAME,
                            event("i-1", "u-1", T0).setEventName(null).build()),
                    Arguments.of(
                            RejectionReason.INVALID_TRACKING_URL,
                            click("i-1", "u-1", T0)
                                    .setTrackingUrl("smart.link/no-scheme")
                                    .build()),
                    Arguments.of(
                            RejectionReason.OCCURRED_AT_IN_FUTURE,
                            event("i-1", "u-1", T0.plusSeconds(3600)).build()),
                    Arguments.of(
                            RejectionReason.INVALID_EVENT_DATA,
                            event("i-1", "u-1", T0).setEventData("sum=100").build()),
                    Arguments.of(
                            RejectionReason.EVENT_DATA_TOO_LARGE,
                            event("i-1", "u-1", T0)
                                    .setEventData("\"" + "y".repeat(70_000) + "\"")
                                    .build()),
                    Arguments.of(
                            RejectionReason.TRACKING_HOST_NOT_ALLOWED,
                            click("i-1", "u-1", T0)
                                    .setTrackingUrl("https://evil.example/c?x=1")
                                    .build()),
                    Arguments.of(
                            RejectionReason.TRACKING_HOST_NOT_ALLOWED,
                            click("i-1", "u-1", T0)
                                    .setTrackingUrl("http://[::1]:8080/")
                                    .build()));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("invalidAvro")
        void invalidAvroIsDeadLetteredWithItsReasonAndBytes(RejectionReason reason, BotInteraction interaction) {
            byte[] bytes = fixture.avro(interaction);
            fixture.pipeRaw("u-1", bytes, T0);

            DeadLetter deadLetter = assertDeadLettered(reason, utf8("u-1"), bytes);
            assertThat(deadLetter.getKochavaAppId())
                    .isEqualTo(interaction.getKochavaAppId().isBlank() ? null : interaction.getKochavaAppId());
        }

        @Test
        void trackingHostsRefusedByDefaultFlowOnceTheListNamesThem() {
            fixture.pipeAvro(
                    click("i-1", "u-1", T0)
                            .setTrackingUrl("https://imp.partner.example/c")
                            .build(),
                    T0);
            List<TestRecord<byte[], DeadLetter>> deadLetters = fixture.deadLetters();
            assertThat(deadLetters)
                    .extracting(r -> r.value().getReasonCode())
                    .containsExactly("TRACKING_HOST_NOT_ALLOWED");
            assertThat(deadLetters.get(0).value().getMessage())
                    .isEqualTo("the CLICK's tracking_url is "
                            + "refused: its host imp.partner.example is not in kochava.ping.allowed-hosts");

            restartWith(
                    TopologySettings.DEFAULTS.withPingAllowedHosts(PingHostAllowlist.of(List.of("*.partner.example"))));
            fixture.pipeAvro(
                    click("i-2", "u-1", T0)
                            .setTrackingUrl("https://imp.partner.example/c")
                            .build(),
                    T0);

            assertThat(fixture.engagements())
                    .extracting(r -> r.value().getInteractionId())
                    .containsExactly("i-2");
        }

        @Test
        void bytesThatAreNeitherAvroNorJsonAreUnparseable() {
            byte[] garbage = {7, 1, 2, 3, (byte) 0xFF};
            fixture.pipeRaw("k", garbage, T0);

            List<TestRecord<byte[], DeadLetter>> out = fixture.deadLetters();
            assertThat(out).extracting(r -> r.value().getReasonCode()).containsExactly("UNPARSEABLE");
            assertThat(out.get(0).value().getOriginalValue()).isEqualTo(ByteBuffer.wrap(garbage));
        }

        @Test
        void truncatedAvroAndUnknownSchemaIdsAreInvalidAvro() {
            byte[] valid = fixture.avro(event("i-1", "u-1", T0).build());
            byte[] truncated = Arrays.copyOf(valid, valid.length - 10);
            byte[] unknownId = valid.clone();
            unknownId[1] = 0x7F;
            byte[] headerOnly = {0, 0, 0};
            fixture.pipeRaw("u-1", truncated, T0);
            fixture.pipeRaw("u-1", unknownId, T0);
            fixture.pipeRaw("u-1", headerOnly, T0);

            List<TestRecord<byte[], DeadLetter>> out = fixture.deadLetters();
            assertThat(out)
                    .extracting(r -> r.value().getReasonCode())
                    .containsExactly("INVALID_AVRO", "INVALID_AVRO", "INVALID_AVRO");
            assertThat(out).allSatisfy(r -> assertThat(r.value().getStage()).isEqualTo("ingest"));
            assertThat(fixture.engagements()).isEmpty();
        }

        @Test
        void theDeadLetterCarriesSourceCoordinatesAndTheNextRecordStillFlows() {
            fixture.pipeJson("u-1", "not json", T0);
            fixture.pipeAvro(event("i-2", "u-2", T0).build(), T0);

            DeadLetter deadLetter = fixture.deadLetters().get(0).value();
            assertThat(deadLetter.getSourceTopic()).isEqualTo("bot.interactions");
            assertThat(deadLetter.getSourcePartition()).isZero();
            assertThat(deadLetter.getSourceOffset()).isZero();
            assertThat(deadLetter.getMessage()).isNotBlank();
            assertThat(fixture.engagements()).hasSize(1);
            assertThat(fixture.metrics.count("dead-letter.UNPARSEABLE")).isEqualTo(1);
            assertThat(fixture.metrics.count(PipelineMetrics.RECEIVED)).isEqualTo(2);
        }

        @Test
        void aHugeBadRecordIsDeadLetteredWithItsFirstBytesAndItsSize() {
            byte[] huge = new byte[1_000_000];
            Arrays.fill(huge, (byte) 'x');
            fixture.pipeRaw("u-1", huge, T0);

            DeadLetter deadLetter = fixture.deadLetters().get(0).value();
            assertThat(deadLetter.getReasonCode()).isEqualTo("UNPARSEABLE");
            assertThat(deadLetter.getOriginalValueSize()).isEqualTo(1_000_000);
            assertThat(deadLetter.getOriginalValue().remaining()).isEqualTo(512 * 1024);
            assertThat(deadLetter.getOriginalKeySize()).isNull();
            assertThat(deadLetter.getOriginalKey()).isEqualTo(ByteBuffer.wrap(utf8("u-1")));
        }

        @Test
        void aMessageNeverQuotesTheInput() {
            fixture.pipeJson("u-1", "{\"fb_user_id\": \"secret-user-42\" oops", T0);

            assertThat(fixture.deadLetters().get(0).value().getMessage()).doesNotContain("secret-user-42");
        }

        private DeadLetter assertDeadLettered(RejectionReason reason, byte[] key, byte[] value) {
            List<TestRecord<byte[], DeadLetter>> out = fixture.deadLetters();
            assertThat(out).hasSize(1);
            DeadLetter deadLetter = out.get(0).value();
            assertThat(deadLetter.getReasonCode()).isEqualTo(reason.name());
            assertThat(deadLetter.getStage()).isEqualTo(reason.stage().label());
            assertThat(deadLetter.getOriginalKey()).isEqualTo(ByteBuffer.wrap(key));
            assertThat(deadLetter.getOriginalValue()).isEqualTo(ByteBuffer.wrap(value));
            assertThat(out.get(0).key()).isEqualTo(key);
            assertThat(fixture.engagements()).isEmpty();
            assertThat(fixture.metrics.count(PipelineMetrics.DEAD_LETTER_PREFIX + reason.name()))
                    .isEqualTo(1);
            return deadLetter;
        }
    }

    @Nested
    class Deduplication {
        @Test
        void copiesOfAnInteractionPassOnceAvroAndJsonAlike() {
            BotInteraction first = event("i-1", "u-1", T0).build();
            fixture.pipeAvro(first, T0);
            fixture.pipeAvro(first, T0.plusSeconds(5));
            fixture.pipeJson(
                    "u-1",
                    json("i-1", "u-1", "EVENT", T0.toEpochMilli(), "\"event_name\":\"Purchase\""),
                    T0.plusSeconds(60));

            assertThat(fixture.engagements()).hasSize(1);
            assertThat(fixture.metrics.count(PipelineMetrics.DUPLICATES_DROPPED))
                    .isEqualTo(2);
        }

        @Test
        void theSameIdFromAnotherAppIsNotADuplicate() {
            fixture.pipeAvro(event("1", "u-1", T0).build(), T0);
            fixture.pipeAvro(event("1", "u-1", T0).setKochavaAppId("other-app").build(), T0);

            assertThat(fixture.engagements()).hasSize(2);
        }

        @Test
        void anIdIsAcceptedAgainAfterItsRetentionEvenUnderASteadyStreamOfDuplicates() {
            restartWith(TopologySettings.DEFAULTS);
            BotInteraction interaction = event("i-1", "u-1", T0).build();
            Duration retention = TopologySettings.DEFAULTS.dedupRetention();

            fixture.pipeAvro(interaction, T0);
            for (int hour = 1; hour < 24; hour++) {
                fixture.pipeAvro(interaction, T0.plus(Duration.ofHours(hour)));
            }
            fixture.pipeAvro(interaction, T0.plus(retention).minusMillis(1));
            assertThat(fixture.engagements()).hasSize(1);

            fixture.pipeAvro(interaction, T0.plus(retention));
            List<TestRecord<byte[], Engagement>> again = fixture.engagements();
            assertThat(again).hasSize(1);
            assertThat(again.get(0).value().getIngestedAt()).isEqualTo(T0.plus(retention));
            assertThat(fixture.metrics.count(PipelineMetrics.DUPLICATES_DROPPED))
                    .isEqualTo(24);
        }

        /**
         * The dedup store files first copies under time buckets one retention long: copies just inside and just
         * outside the retention, before (out of order) and after a first copy that lies just after or just before
         * a bucket's start.
         */
        @Test
        void aCopyCountsWithinTheRetentionBeforeOrAfterItsFirstCopyOnEitherSideOfABucketEdge() {
            Duration retention = TopologySettings.DEFAULTS.dedupRetention();
            long bucket = retention.toMillis();
            Instant edge = Instant.ofEpochMilli(T0.toEpochMilli() / bucket * bucket);
            for (Instant first : List.of(edge.plusMillis(1), edge.minusMillis(1))) {
                restartWith(TopologySettings.DEFAULTS);
                pipeCopy(first);
                pipeCopy(first.plus(retention).minusMillis(1));
                pipeCopy(first.minus(retention).plusMillis(1));
                assertThat(fixture.engagements()).as("first copy at %s", first).hasSize(1);

                pipeCopy(first.minus(retention));
                assertThat(fixture.engagements())
                        .as("a retention before %s", first)
                        .extracting(r -> r.value().getIngestedAt())
                        .containsExactly(first.minus(retention));
            }
        }

        private void pipeCopy(Instant at) {
            fixture.pipeAvro(event("i-1", "u-1", at).build(), at);
        }

        @Test
        void aShortRetentionIsHonoured() {
            restartWith(new TopologySettings(
                    TopicNames.DEFAULTS, Duration.ofMinutes(5), Duration.ofMinutes(10), 1024, RekeyMode.AUTO, true));
            BotInteraction interaction = event("i-1", "u-1", T0).build();
            fixture.pipeAvro(interaction, T0.plusSeconds(60));
            fixture.pipeAvro(interaction, T0.plusSeconds(299));
            fixture.pipeAvro(interaction, T0.plusSeconds(360));

            assertThat(fixture.engagements())
                    .extracting(r -> r.value().getIngestedAt())
                    .containsExactly(T0.plusSeconds(60), T0.plusSeconds(360));
        }

        /*
         * Late records. The dedup store's time is the newest bucket a first copy was filed under (Kafka Streams'
         * window store reads nothing older than its retention, two buckets, behind it), not the late record's own
         * time: a first copy is found while its bucket is that newest bucket or the one before it, and forgotten
         * once a first copy is filed two buckets later. The tests below pin that edge to the millisecond.
         */

        @Test
        void aCopyFarBehindStreamTimeIsDroppedWhileItsFirstCopysBucketIsTheNewestOrTheOneBefore() {
            Instant bucket = bucketStartOf(T0);
            Instant first = bucket.plus(Duration.ofHours(1));
            pipeCopy(first);
            Instant lastMsOfNextBucket = bucket.plus(RETENTION.multipliedBy(2)).minusMillis(1);
            fixture.pipeAvro(event("i-2", "u-2", lastMsOfNextBucket).build(), lastMsOfNextBucket);

            pipeCopy(first.plus(Duration.ofMinutes(5))); // 1.96 retentions behind stream time
            pipeCopy(first.minus(Duration.ofHours(2))); // before its first copy, in the bucket before it
            pipeCopy(first); // the very same timestamp, as a producer's retry sends it

            assertThat(fixture.engagements())
                    .extracting(r -> r.value().getInteractionId())
                    .containsExactly("i-1", "i-2");
            assertThat(fixture.metrics.count(PipelineMetrics.DUPLICATES_DROPPED))
                    .isEqualTo(3);
            assertThat(fixture.metrics.count(PipelineMetrics.UNIQUE)).isEqualTo(2);
        }

        /**
         * The edge is the bucket, not a retention: a first copy filed late in its bucket is forgotten as soon as one
         * is filed two buckets on, here 25 hours after it. A copy 65 minutes after it, arriving less than a
         * retention behind stream time, is then forwarded as new (counted as unique, not dead-lettered) and filed in
         * its own bucket, so that its own copies are dropped again.
         */
        @Test
        void aCopyLessThanARetentionLateIsForwardedAsNewOnceAFirstCopyIsFiledTwoBucketsAfterItsFirstCopy() {
            Instant bucket = bucketStartOf(T0);
            Instant first = bucket.plus(Duration.ofHours(23));
            pipeCopy(first);
            Instant twoBucketsLater = bucket.plus(RETENTION.multipliedBy(2));
            fixture.pipeAvro(event("i-2", "u-2", twoBucketsLater).build(), twoBucketsLater);

            Instant copy = first.plus(Duration.ofMinutes(65));
            assertThat(Duration.between(copy, twoBucketsLater)).isLessThan(RETENTION);
            pipeCopy(copy);
            pipeCopy(copy.plus(Duration.ofMinutes(5)));

            assertThat(fixture.engagements())
                    .extracting(
                            r -> r.value().getInteractionId() + "@" + r.value().getIngestedAt())
                    .containsExactly("i-1@" + first, "i-2@" + twoBucketsLater, "i-1@" + copy);
            assertThat(fixture.metrics.count(PipelineMetrics.UNIQUE)).isEqualTo(3);
            assertThat(fixture.metrics.count(PipelineMetrics.DUPLICATES_DROPPED))
                    .isEqualTo(1);
            assertThat(fixture.deadLetters()).isEmpty();
        }

        /**
         * A record two buckets behind the store's time is forwarded as new each time it comes: Kafka Streams still
         * writes its first copy into that bucket's segment, but no read reaches back that far.
         */
        @Test
        void aRecordTwoBucketsBehindIsForwardedEachTimeSinceWhatItFilesThereIsNeverReadBack() {
            Instant bucket = bucketStartOf(T0);
            Instant twoBucketsLater = bucket.plus(RETENTION.multipliedBy(2));
            fixture.pipeAvro(event("i-2", "u-2", twoBucketsLater).build(), twoBucketsLater);

            Instant late = bucket.plus(Duration.ofHours(1));
            pipeCopy(late);
            pipeCopy(late.plus(Duration.ofMinutes(5)));
            pipeCopy(late);

            assertThat(fixture.engagements())
                    .extracting(r -> r.value().getInteractionId())
                    .containsExactly("i-2", "i-1", "i-1", "i-1");
            assertThat(fixture.metrics.count(PipelineMetrics.UNIQUE)).isEqualTo(4);
            assertThat(fixture.metrics.count(PipelineMetrics.DUPLICATES_DROPPED))
                    .isZero();
            assertThat(fixture.deadLetters()).isEmpty();
            assertThat(droppedRecordsOfKafkaStreams())
                    .as("writes Kafka Streams dropped")
                    .isZero();
        }

        /**
         * A record three buckets or more behind the store's time is forwarded as new too, and its first copy is not
         * filed at all: Kafka Streams drops the write to an expired segment and counts it in its task metric
         * {@code dropped-records-total} (the pipeline's own metrics count the record as unique); every copy of it is
         * forwarded as well.
         */
        @Test
        void aRecordThreeBucketsBehindIsForwardedEachTimeAndItsFirstCopyDroppedByKafkaStreams() {
            Instant bucket = bucketStartOf(T0);
            Instant twoBucketsLater = bucket.plus(RETENTION.multipliedBy(2));
            fixture.pipeAvro(event("i-2", "u-2", twoBucketsLater).build(), twoBucketsLater);

            Instant threeBucketsBehind = bucket.minus(RETENTION).plus(Duration.ofHours(1));
            pipeCopy(threeBucketsBehind);
            pipeCopy(threeBucketsBehind.plus(Duration.ofMinutes(5)));

            assertThat(fixture.engagements())
                    .extracting(r -> r.value().getInteractionId())
                    .containsExactly("i-2", "i-1", "i-1");
            assertThat(fixture.metrics.count(PipelineMetrics.DUPLICATES_DROPPED))
                    .isZero();
            assertThat(fixture.metrics.count(PipelineMetrics.UNIQUE)).isEqualTo(3);
            assertThat(fixture.deadLetters()).isEmpty();
            assertThat(droppedRecordsOfKafkaStreams()).isEqualTo(2);
        }

        private static Instant bucketStartOf(Instant time) {
            long bucket = RETENTION.toMillis();
            return Instant.ofEpochMilli(time.toEpochMilli() / bucket * bucket);
        }

        /** Kafka Streams' task metric of records it dropped, here writes to expired window store segments. */
        private double droppedRecordsOfKafkaStreams() {
            return fixture.driver.metrics().entrySet().stream()
                    .filter(m -> m.getKey().name().equals("dropped-records-total"))
                    .mapToDouble(m -> ((Number) m.getValue().metricValue()).doubleValue())
                    .sum();
        }
    }

    @Nested
    class Enrichment {
        @Test
        void linkedIdentifiersAreAddedWithoutOverwritingTheBots() {
            fixture.pipeLink(link("u-1", T0, Map.of("kochava_device_id", "KD-1", "adid", "linked-adid")), T0);
            fixture.pipeAvro(
                    event("i-1", "u-1", T0)
                            .setDeviceIds(Map.of("adid", "bot-adid"))
                            .build(),
                    T0);

            Engagement engagement = fixture.engagements().get(0).value();
            assertThat(engagement.getDeviceIds())
                    .containsOnly(
                            Map.entry("fb_user_id", "u-1"),
                            Map.entry("kochava_device_id", "KD-1"),
                            Map.entry("adid", "bot-adid"));
            assertThat(engagement.getIdentityLinked()).isTrue();
            assertThat(fixture.metrics.count(PipelineMetrics.ENRICHED_WITH_LINK))
                    .isEqualTo(1);
        }

        @Test
        void fbUserIdInTheLinkNeverReplacesTheUsersOwn() {
            fixture.pipeLink(link("u-1", T0, Map.of("fb_user_id", "someone-else", "idfa", "I-1")), T0);
            fixture.pipeAvro(event("i-1", "u-1", T0).build(), T0);

            assertThat(fixture.engagements().get(0).value().getDeviceIds())
                    .containsOnly(Map.entry("fb_user_id", "u-1"), Map.entry("idfa", "I-1"));
        }

        @Test
        void theLatestUpdateWinsAndATombstoneDeletes() {
            fixture.pipeLink(link("u-1", T0.plusSeconds(10), Map.of("kochava_device_id", "KD-new")), T0);
            fixture.pipeLink(link("u-1", T0, Map.of("kochava_device_id", "KD-old")), T0.plusSeconds(1));
            fixture.pipeAvro(event("i-1", "u-1", T0).build(), T0.plusSeconds(2));

            fixture.pipeLink(
                    link("u-1", T0.plusSeconds(20), Map.of("kochava_device_id", "KD-newest")), T0.plusSeconds(3));
            fixture.pipeAvro(event("i-2", "u-1", T0).build(), T0.plusSeconds(4));

            fixture.pipeLinkRaw("u-1", null, T0.plusSeconds(5));
            fixture.pipeAvro(event("i-3", "u-1", T0).build(), T0.plusSeconds(6));

            assertThat(fixture.engagements())
                    .extracting(r -> r.value().getDeviceIds().get("kochava_device_id"))
                    .containsExactly("KD-new", "KD-newest", null);
            assertThat(fixture.metrics.count(PipelineMetrics.LINK_STALE_IGNORED))
                    .isEqualTo(1);
            assertThat(fixture.metrics.count(PipelineMetrics.LINK_DELETES)).isEqualTo(1);
        }

        @Test
        void jsonLinksAreReadLikeAvroOnes() {
            fixture.pipeLinkRaw(
                    "u-1",
                    utf8("{\"fb_user_id\":\"u-1\",\"device_ids\":{\"adid\":\"A\"},"
                            + "\"updated_at\":\"2026-11-25T09:00:00Z\"}"),
                    T0);
            fixture.pipeAvro(event("i-1", "u-1", T0).build(), T0);

            assertThat(fixture.engagements().get(0).value().getDeviceIds()).containsEntry("adid", "A");
        }

        @Test
        void badLinksAreDeadLettered() {
            fixture.pipeLinkRaw("u-2", fixture.avro(link("u-1", T0, Map.of("adid", "A"))), T0);
            fixture.pipeLinkRaw("u-3", utf8("{\"fb_user_id\":\"u-3\",\"device_ids\":{}}"), T0);
            fixture.pipeLinkRaw(null, utf8("{\"fb_user_id\":\"u-4\",\"updated_at\":1}"), T0);
            fixture.pipeLinkRaw("u-5", new byte[] {1, 2, 3}, T0);

            assertThat(fixture.deadLetters())
                    .extracting(r -> r.value().getReasonCode())
                    .containsExactly(
                            "INVALID_IDENTITY_LINK", "INVALID_IDENTITY_LINK", "INVALID_IDENTITY_LINK", "UNPARSEABLE");
            fixture.pipeAvro(event("i-1", "u-2", T0).build(), T0);
            assertThat(fixture.engagements().get(0).value().getIdentityLinked()).isFalse();
        }
    }

    @Nested
    class Partitioning {
        @Test
        void recordsKeyedOtherwiseAreRekeyedByUserAndStillDeduplicated() {
            BotInteraction interaction = event("i-1", "u-1", T0).build();
            fixture.pipeRaw("webhook-42", fixture.avro(interaction), T0);
            fixture.pipeRaw(null, fixture.avro(interaction), T0);
            fixture.pipeAvro(interaction, T0);

            List<TestRecord<byte[], Engagement>> out = fixture.engagements();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).key()).isEqualTo(utf8("u-1"));
            assertThat(fixture.metrics.count(PipelineMetrics.DUPLICATES_DROPPED))
                    .isEqualTo(2);
        }

        @Test
        void recordsKeyedOtherwiseAreJoinedAfterTheRekey() {
            fixture.pipeLink(link("u-1", T0, Map.of("adid", "A")), T0);
            fixture.pipeRaw("session-7", fixture.avro(event("i-1", "u-1", T0).build()), T0);

            assertThat(fixture.engagements().get(0).value().getDeviceIds()).containsEntry("adid", "A");
        }

        @Test
        void autoAndAlwaysModesRepartitionInteractionsAndMisplacedLinksNeverModeNothing() {
            assertThat(repartitionTopics(RekeyMode.AUTO))
                    .containsExactlyInAnyOrder(
                            "interactions-by-join-key-repartition", "identity-links-by-user-repartition");
            assertThat(repartitionTopics(RekeyMode.ALWAYS))
                    .containsExactlyInAnyOrder(
                            "interactions-by-join-key-repartition", "identity-links-by-user-repartition");
            assertThat(repartitionTopics(RekeyMode.NEVER)).isEmpty();
        }

        @Test
        void withRekeyingOffMisKeyedRecordsAreDeadLettered() {
            restartWith(TopologySettings.DEFAULTS.withRekeyMode(RekeyMode.NEVER));
            fixture.pipeRaw("webhook-42", fixture.avro(event("i-1", "u-1", T0).build()), T0);
            fixture.pipeRaw("i-2", fixture.avro(click("i-2", null, T0).build()), T0);
            fixture.pipeAvro(event("i-3", "u-1", T0).build(), T0);

            assertThat(fixture.deadLetters())
                    .extracting(r -> r.value().getReasonCode())
                    .containsExactly("KEY_MISMATCH");
            assertThat(fixture.engagements())
                    .extracting(r -> r.value().getInteractionId())
                    .containsExactly("i-2", "i-3");
        }

        // TopologyTestDriver feeds every record to partition 0: with 6 source partitions, a user whose key murmur2
        // places elsewhere arrives misplaced, as from a producer with another partitioner.

        @Test
        void recordsInTheirJoinKeysPartitionFlowOnWithoutRepartition() {
            restartWith(TopologySettings.DEFAULTS.withSourcePartitions(PARTITIONS));
            String user = userPlacedIn(0);
            fixture.pipeLink(link(user, T0, Map.of("adid", "A")), T0);
            fixture.pipeAvro(event("i-1", user, T0).build(), T0);

            assertThat(fixture.engagements().get(0).value().getDeviceIds()).containsEntry("adid", "A");
            assertThat(repartitionTopicsWritten()).isEmpty();
            assertThat(fixture.metrics.misplaced(fixture.topics.interactions())).isZero();
            assertThat(fixture.metrics.misplaced(fixture.topics.identityLinks()))
                    .isZero();
        }

        @Test
        void misplacedRecordsAndLinksAreRepartitionedCountedAndStillJoinedAndDeduplicated() {
            restartWith(TopologySettings.DEFAULTS.withSourcePartitions(PARTITIONS));
            String user = userPlacedIn(4);
            fixture.pipeLink(link(user, T0, Map.of("adid", "A")), T0);
            BotInteraction interaction = event("i-1", user, T0).build();
            fixture.pipeAvro(interaction, T0);
            fixture.pipeRaw("webhook-7", fixture.avro(interaction), T0); // mis-keyed: re-keyed, not "misplaced"
            fixture.pipeAvro(interaction, T0);

            List<TestRecord<byte[], Engagement>> out = fixture.engagements();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).value().getDeviceIds()).containsEntry("adid", "A");
            assertThat(repartitionTopicsWritten())
                    .containsExactlyInAnyOrder(
                            "kobot-topology-test-interactions-by-join-key-repartition",
                            "kobot-topology-test-identity-links-by-user-repartition");
            assertThat(fixture.metrics.misplaced(fixture.topics.interactions())).isEqualTo(2);
            assertThat(fixture.metrics.misplaced(fixture.topics.identityLinks()))
                    .isEqualTo(1);
            assertThat(fixture.metrics.count(PipelineMetrics.DUPLICATES_DROPPED))
                    .isEqualTo(2);
        }

        @Test
        void aMisplacedTombstoneDeletesTheLinkAndTheLatestUpdateStillWins() {
            restartWith(TopologySettings.DEFAULTS.withSourcePartitions(PARTITIONS));
            String user = userPlacedIn(3);
            fixture.pipeLink(link(user, T0.plusSeconds(10), Map.of("adid", "new")), T0);
            fixture.pipeLink(link(user, T0, Map.of("adid", "old")), T0.plusSeconds(1));
            fixture.pipeAvro(event("i-1", user, T0).build(), T0.plusSeconds(2));
            fixture.pipeLinkRaw(user, null, T0.plusSeconds(3));
            fixture.pipeAvro(event("i-2", user, T0).build(), T0.plusSeconds(4));

            assertThat(fixture.engagements())
                    .extracting(r -> r.value().getDeviceIds().get("adid"))
                    .containsExactly("new", null);
            assertThat(fixture.metrics.count(PipelineMetrics.LINK_STALE_IGNORED))
                    .isEqualTo(1);
            assertThat(fixture.metrics.count(PipelineMetrics.LINK_DELETES)).isEqualTo(1);
            assertThat(fixture.metrics.misplaced(fixture.topics.identityLinks()))
                    .isEqualTo(3);
        }

        @Test
        void alwaysModeStillRepartitionsOnlyMisplacedLinks() {
            restartWith(
                    TopologySettings.DEFAULTS.withSourcePartitions(PARTITIONS).withRekeyMode(RekeyMode.ALWAYS));
            String placed = userPlacedIn(0);
            fixture.pipeLink(link(placed, T0, Map.of("adid", "A")), T0);
            fixture.pipeAvro(event("i-1", placed, T0).build(), T0);

            assertThat(fixture.engagements().get(0).value().getDeviceIds()).containsEntry("adid", "A");
            assertThat(repartitionTopicsWritten())
                    .containsExactly("kobot-topology-test-interactions-by-join-key-repartition");
        }

        @Test
        void withRekeyingOffMisplacedRecordsAndLinksAreDeadLetteredWithTheirOwnCode() {
            restartWith(
                    TopologySettings.DEFAULTS.withSourcePartitions(PARTITIONS).withRekeyMode(RekeyMode.NEVER));
            String placed = userPlacedIn(0);
            String misplaced = userPlacedIn(5);
            byte[] misplacedLink = fixture.avro(link(misplaced, T0, Map.of("adid", "A")));
            fixture.pipeLinkRaw(misplaced, misplacedLink, T0);
            fixture.pipeLinkRaw(misplaced, null, T0);
            fixture.pipeLink(link(placed, T0, Map.of("adid", "B")), T0);
            byte[] misplacedEvent = fixture.avro(event("i-1", misplaced, T0).build());
            fixture.pipeRaw(misplaced, misplacedEvent, T0);
            fixture.pipeRaw("webhook-7", fixture.avro(event("i-2", placed, T0).build()), T0);
            fixture.pipeAvro(event("i-3", placed, T0).build(), T0);

            List<DeadLetter> deadLetters =
                    fixture.deadLetters().stream().map(TestRecord::value).toList();
            assertThat(deadLetters)
                    .extracting(DeadLetter::getReasonCode)
                    .containsExactly(
                            "MISPLACED_PARTITION", "MISPLACED_PARTITION", "MISPLACED_PARTITION", "KEY_MISMATCH");
            assertThat(deadLetters)
                    .extracting(DeadLetter::getSourceTopic)
                    .containsExactly(
                            fixture.topics.identityLinks(),
                            fixture.topics.identityLinks(),
                            fixture.topics.interactions(),
                            fixture.topics.interactions());
            assertThat(deadLetters.get(0).getOriginalValue()).isEqualTo(ByteBuffer.wrap(misplacedLink));
            assertThat(deadLetters.get(1).getOriginalValue()).isNull();
            assertThat(deadLetters.get(2).getOriginalValue()).isEqualTo(ByteBuffer.wrap(misplacedEvent));
            assertThat(deadLetters.get(2).getStage()).isEqualTo("validate");
            assertThat(deadLetters.get(2).getMessage())
                    .contains("partition 0", "partition 5")
                    .doesNotContain(misplaced);
            List<TestRecord<byte[], Engagement>> out = fixture.engagements();
            assertThat(out).extracting(r -> r.value().getInteractionId()).containsExactly("i-3");
            assertThat(out.get(0).value().getDeviceIds()).containsEntry("adid", "B");
            assertThat(repartitionTopicsWritten()).isEmpty();
        }

        private List<String> repartitionTopicsWritten() {
            return fixture.driver.producedTopicNames().stream()
                    .filter(t -> t.endsWith("-repartition"))
                    .toList();
        }

        private List<String> repartitionTopics(RekeyMode mode) {
            var topology = new PipelineTopology(
                            TopologySettings.DEFAULTS.withRekeyMode(mode),
                            fixture.serdes,
                            new PipelineMetrics(),
                            EngagementSink.NONE)
                    .build();
            return topology.describe().subtopologies().stream()
                    .flatMap(s -> s.nodes().stream())
                    .filter(n -> n instanceof org.apache.kafka.streams.TopologyDescription.Sink)
                    .map(n -> ((org.apache.kafka.streams.TopologyDescription.Sink) n).topic())
                    .filter(t -> t != null && t.endsWith("-repartition"))
                    .distinct()
                    .toList();
        }
    }
}
