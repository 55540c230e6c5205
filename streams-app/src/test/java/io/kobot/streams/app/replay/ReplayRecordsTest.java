package io.kobot.streams.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.registry.SchemaRegistryClients;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.schema.InteractionType;
import io.kobot.schema.deadletter.RejectionReason;
import io.kobot.streams.deadletter.DeadLetters;
import io.kobot.streams.replay.ReplayMarker;
import io.kobot.streams.topology.PipelineSerdes;
import io.kobot.streams.topology.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplayRecordsTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final String scope = "replay-records-" + UUID.randomUUID();
    private final Map<String, Object> registry = Map.of("schema.registry.url", "mock://" + scope);
    private final PipelineSerdes serdes = new PipelineSerdes(registry);
    private final ReplayRecords records = new ReplayRecords(TopicNames.DEFAULTS, "app", serdes);

    @AfterEach
    void dropScope() {
        serdes.close();
        SchemaRegistryClients.dropMockScope(scope);
    }

    @Test
    void anInteractionGoesBackWithItsBytesAndTheMarker() {
        byte[] value = "{\"interaction_id\":\"i\"}".getBytes(StandardCharsets.UTF_8);
        DeadLetter deadLetter = deadLetter(RejectionReason.PROCESSING_ERROR, "bot.interactions", value)
                .setReplayCount(1)
                .build();

        ProducerRecord<byte[], byte[]> record = replay(deadLetter, "bot.interactions.dlq/0/12");

        assertThat(record.topic()).isEqualTo("bot.interactions");
        assertThat(record.key()).isEqualTo(bytes("u-1"));
        assertThat(record.value()).isEqualTo(value);
        assertThat(record.timestamp()).isNull();
        assertThat(ReplayMarker.replayOf(record.headers())).isEqualTo("bot.interactions.dlq/0/12");
        assertThat(ReplayMarker.replayCount(record.headers())).isEqualTo(2);
    }

    @Test
    void aDeliveryFailureGoesToTheInteractionsTopicAsTheInteractionItWasMadeFrom() {
        Engagement engagement = Engagement.newBuilder()
                .setInteractionId("i-1")
                .setKochavaAppId("k")
                .setType(InteractionType.EVENT)
                .setFbUserId("u-1")
                .setOccurredAt(T0)
                .setEventName("Purchase")
                .setEventData("{\"n\":1}")
                .setDeviceIds(Map.of("adid", "a", "fb_user_id", "u-1"))
                .setIdentityLinked(true)
                .setIngestedAt(T0)
                .build();
        byte[] bytes = SpecificAvroSerde.of(Engagement.class, registry, false)
                .serializer()
                .serialize("bot.engagements", engagement);

        ProducerRecord<byte[], byte[]> record = replay(
                deadLetter(RejectionReason.RETRIES_EXHAUSTED, "bot.engagements", bytes)
                        .build(),
                "dlq/1/3");

        assertThat(record.topic()).isEqualTo("bot.interactions");
        BotInteraction interaction = SpecificAvroSerde.of(BotInteraction.class, registry, false)
                .deserializer()
                .deserialize("bot.interactions", record.value());
        assertThat(interaction.getInteractionId()).isEqualTo("i-1");
        assertThat(interaction.getEventData()).isEqualTo("{\"n\":1}");
        assertThat(interaction.getOccurredAt()).isEqualTo(T0);
        assertThat(ReplayMarker.replayCount(record.headers())).isEqualTo(1);
    }

    @Test
    void aRepartitionTopicRecordGoesToTheInteractionsTopic() {
        ProducerRecord<byte[], byte[]> record = replay(
                deadLetter(RejectionReason.PROCESSING_ERROR, "app-interactions-by-join-key-repartition", bytes("v"))
                        .build(),
                "dlq/0/1");

        assertThat(record.topic()).isEqualTo("bot.interactions");
    }

    @Test
    void cutBytesAndForeignTopicsAreNotReplayable() {
        DeadLetter cut = deadLetter(RejectionReason.PROCESSING_ERROR, "bot.interactions", bytes("v"))
                .setOriginalValueSize(600_000)
                .build();
        DeadLetter foreign = deadLetter(RejectionReason.PROCESSING_ERROR, "other.topic", bytes("v"))
                .build();

        assertThat(records.toRecord(cut, "dlq/0/1")).isInstanceOf(ReplayRecords.NotReplayable.class);
        assertThat(records.toRecord(foreign, "dlq/0/2")).isInstanceOf(ReplayRecords.NotReplayable.class);
    }

    @Test
    void badInputIsLeftOutUnlessNamed() {
        DeadLetter unparseable = deadLetter(RejectionReason.UNPARSEABLE, "bot.interactions", bytes("x"))
                .build();
        DeadLetter exhausted = deadLetter(RejectionReason.RETRIES_EXHAUSTED, "bot.engagements", bytes("x"))
                .setKochavaAppId("k")
                .build();

        ReplayFilter defaults = new ReplayFilter(Set.of(), Optional.empty(), Optional.empty(), Set.of(), Set.of());
        assertThat(defaults.exclusion(unparseable)).isPresent();
        assertThat(defaults.exclusion(exhausted)).isEmpty();

        ReplayFilter named =
                new ReplayFilter(Set.of("UNPARSEABLE"), Optional.empty(), Optional.empty(), Set.of(), Set.of());
        assertThat(named.exclusion(unparseable)).isEmpty();
        assertThat(named.exclusion(exhausted)).isPresent();

        ReplayFilter narrow =
                new ReplayFilter(Set.of(), Optional.of(T0.plusSeconds(1)), Optional.empty(), Set.of(), Set.of("k"));
        assertThat(narrow.exclusion(exhausted)).contains("failed outside --from/--to");
        ReplayFilter otherApp = new ReplayFilter(
                Set.of(), Optional.empty(), Optional.of(T0.plusSeconds(1)), Set.of("bot.engagements"), Set.of("other"));
        assertThat(otherApp.exclusion(exhausted)).contains("another app id");
    }

    @Test
    void theIntakesDeadLettersAreLeftOutEvenWhenNamed() {
        DeadLetter malformed = DeadLetters.builder(
                        RejectionReason.WEBHOOK_ITEM_MALFORMED,
                        "m",
                        new DeadLetters.Source(null, null, null, null, bytes("{}")),
                        T0)
                .build();

        for (Set<String> reasons : List.of(Set.<String>of(), Set.of(RejectionReason.WEBHOOK_ITEM_MALFORMED.name()))) {
            ReplayFilter filter = new ReplayFilter(reasons, Optional.empty(), Optional.empty(), Set.of(), Set.of());
            assertThat(filter.exclusion(malformed))
                    .contains("reason never replayed: not a record of a topic the pipeline reads");
        }
    }

    private ProducerRecord<byte[], byte[]> replay(DeadLetter deadLetter, String coordinates) {
        ReplayRecords.Result result = records.toRecord(deadLetter, coordinates);
        assertThat(result).isInstanceOf(ReplayRecords.Replay.class);
        return ((ReplayRecords.Replay) result).record();
    }

    private static DeadLetter.Builder deadLetter(RejectionReason reason, String sourceTopic, byte[] value) {
        return DeadLetters.builder(reason, "m", new DeadLetters.Source(sourceTopic, 0, 5L, bytes("u-1"), value), T0);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
