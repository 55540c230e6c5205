package io.kobot.streams.topology;

import static io.kobot.streams.topology.BrokerRun.utf8;
import static io.kobot.streams.topology.Interactions.click;
import static io.kobot.streams.topology.Interactions.event;
import static io.kobot.streams.topology.Interactions.json;
import static io.kobot.streams.topology.Interactions.link;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology on a real broker and a real Confluent-API registry, with exactly-once processing: a mixed stream
 * of valid, duplicate, malformed and invalid records, users with and without links, a link updated and deleted.
 * Asserts the exact engagements and the exact dead letters.
 */
@ExtendWith(RealInfrastructureExtension.class)
class PipelineTopologyIT {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private static final int PARTITIONS = 3;

    private BrokerRun run;
    private KafkaStreams streams;

    @BeforeEach
    void start(KafkaBroker broker, ApicurioRegistry registry, @TempDir Path stateDir) {
        run = new BrokerRun(broker, registry, PARTITIONS, Map.of());
        TopologySettings settings =
                TopologySettings.DEFAULTS.withTopics(run.topics).withSourcePartitions(PARTITIONS);
        streams = new KafkaStreams(
                new PipelineTopology(settings, run.serdes, run.metrics, EngagementSink.NONE).build(),
                run.streamsProperties("kobot-it-", stateDir));
        streams.start();
    }

    @AfterEach
    void stop() {
        streams.close(Duration.ofSeconds(30));
        run.close();
    }

    @Test
    void mixedStreamComesOutDeduplicatedEnrichedAndDeadLettered(KafkaBroker broker) throws Exception {
        Instant t = Instant.now().minusSeconds(60);
        // Phase 1: links for u-1 and u-2; none for u-3.
        run.sendLink("u-1", run.avro(link("u-1", t, Map.of("kochava_device_id", "KD-1", "adid", "A-1"))));
        run.sendLink(
                "u-2",
                utf8("{\"fb_user_id\":\"u-2\",\"device_ids\":{\"idfa\":\"I-2\"},\"updated_at\":" + t.toEpochMilli()
                        + "}"));
        run.sendLink("u-9", run.avro(link("u-8", t, Map.of("adid", "A-8")))); // key is not the link's user
        run.flush();
        await().atMost(60, TimeUnit.SECONDS).until(() -> run.metrics.count(PipelineMetrics.LINK_UPDATES) == 2);

        BotInteraction e1 =
                event("e-1", "u-1", t).setDeviceIds(Map.of("adid", "BOT-A")).build();
        run.send("u-1", run.avro(e1));
        run.send("u-1", run.avro(e1)); // duplicate, same key
        run.send("webhook-7", run.avro(e1)); // duplicate, other key: re-keyed, still dropped
        run.send("u-2", utf8(json("e-2", "u-2", "EVENT", t.toEpochMilli(), "\"event_name\":\"Start Chatting\"")));
        run.send("u-3", run.avro(event("e-3", "u-3", t).build()));
        run.send(null, run.avro(click("c-1", null, t).build()));
        run.send("u-3", run.avro(click("c-2", "u-3", t).build()));
        byte[] garbage = {42, 0, 1, 2};
        run.send("u-4", garbage); // UNPARSEABLE
        byte[] noUser = utf8(json("e-4", null, "EVENT", t.toEpochMilli(), "\"event_name\":\"Purchase\""));
        run.send("u-4", noUser); // MISSING_FB_USER_ID
        byte[] badUrl = run.avro(
                click("c-3", "u-4", t).setTrackingUrl("javascript:alert(1)").build());
        run.send("u-4", badUrl); // INVALID_TRACKING_URL
        run.flush();
        List<Engagement> phase1 = run.readEngagements(5, READ_TIMEOUT);

        // Phase 2: u-1's link updated, u-2's deleted.
        run.sendLink("u-1", run.avro(link("u-1", t.plusSeconds(5), Map.of("kochava_device_id", "KD-1b"))));
        run.sendLink("u-2", null);
        run.flush();
        await().atMost(60, TimeUnit.SECONDS)
                .until(() -> run.metrics.count(PipelineMetrics.LINK_UPDATES) == 3
                        && run.metrics.count(PipelineMetrics.LINK_DELETES) == 1);
        run.send("u-1", run.avro(event("e-5", "u-1", t).build()));
        run.send("u-2", run.avro(event("e-6", "u-2", t).build()));
        run.send("u-1", run.avro(e1)); // still a duplicate after the link changed
        run.flush();
        List<Engagement> all = run.readEngagements(7, READ_TIMEOUT);

        Map<String, Map<String, String>> deviceIdsById =
                all.stream().collect(Collectors.toMap(Engagement::getInteractionId, Engagement::getDeviceIds));
        assertThat(all).hasSize(7);
        assertThat(phase1).hasSize(5);
        assertThat(deviceIdsById).containsOnlyKeys("e-1", "e-2", "e-3", "c-1", "c-2", "e-5", "e-6");
        // c-1 has no user: it is keyed by its id and skips the join.
        assertThat(deviceIdsById.get("e-1"))
                .containsOnly(
                        Map.entry("fb_user_id", "u-1"),
                        Map.entry("kochava_device_id", "KD-1"),
                        Map.entry("adid", "BOT-A"));
        assertThat(deviceIdsById.get("e-2")).containsOnly(Map.entry("fb_user_id", "u-2"), Map.entry("idfa", "I-2"));
        assertThat(deviceIdsById.get("e-3")).containsOnly(Map.entry("fb_user_id", "u-3"));
        assertThat(deviceIdsById.get("c-1")).isEmpty();
        assertThat(deviceIdsById.get("c-2")).containsOnly(Map.entry("fb_user_id", "u-3"));
        assertThat(deviceIdsById.get("e-5"))
                .containsOnly(Map.entry("fb_user_id", "u-1"), Map.entry("kochava_device_id", "KD-1b"));
        assertThat(deviceIdsById.get("e-6")).containsOnly(Map.entry("fb_user_id", "u-2"));
        assertThat(run.metrics.count(PipelineMetrics.DUPLICATES_DROPPED)).isEqualTo(3);

        List<DeadLetter> deadLetters = run.readDeadLetters(4, READ_TIMEOUT);
        assertThat(deadLetters)
                .extracting(DeadLetter::getReasonCode)
                .containsExactlyInAnyOrder(
                        "INVALID_IDENTITY_LINK", "UNPARSEABLE", "MISSING_FB_USER_ID", "INVALID_TRACKING_URL");
        Map<String, DeadLetter> byReason =
                deadLetters.stream().collect(Collectors.toMap(DeadLetter::getReasonCode, d -> d));
        assertThat(byReason.get("UNPARSEABLE").getOriginalValue()).isEqualTo(ByteBuffer.wrap(garbage));
        assertThat(byReason.get("UNPARSEABLE").getSourceTopic()).isEqualTo(run.topics.interactions());
        assertThat(byReason.get("MISSING_FB_USER_ID").getOriginalValue()).isEqualTo(ByteBuffer.wrap(noUser));
        assertThat(byReason.get("MISSING_FB_USER_ID").getInteractionId()).isEqualTo("e-4");
        assertThat(byReason.get("INVALID_TRACKING_URL").getOriginalValue()).isEqualTo(ByteBuffer.wrap(badUrl));
        assertThat(byReason.get("INVALID_TRACKING_URL").getOriginalKey())
                .isEqualTo(ByteBuffer.wrap("u-4".getBytes(StandardCharsets.UTF_8)));
        assertThat(byReason.get("INVALID_IDENTITY_LINK").getSourceTopic()).isEqualTo(run.topics.identityLinks());
        assertThat(deadLetters).allSatisfy(d -> assertThat(d.getSourceOffset()).isNotNull());
    }
}
