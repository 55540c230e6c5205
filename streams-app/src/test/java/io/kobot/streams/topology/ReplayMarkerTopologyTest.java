package io.kobot.streams.topology;

import static io.kobot.streams.topology.Interactions.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.streams.replay.ReplayMarker;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the pipeline treats replayed records: dedup keys on the marker, a new failure keeps the replay count. */
class ReplayMarkerTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final TopologyFixture fixture = new TopologyFixture(TopologySettings.DEFAULTS);
    private final TestInputTopic<byte[], byte[]> input = fixture.driver.createInputTopic(
            fixture.topics.interactions(), new ByteArraySerializer(), new ByteArraySerializer());

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aReplayIsNewOnceAndACopyOfTheSameReplayIsADuplicate() {
        BotInteraction interaction = event("i-1", "u-1", T0).build();
        pipe(interaction, null, T0);
        pipe(interaction, null, T0.plusSeconds(1)); // a plain copy: dropped
        pipe(interaction, "dlq/0/5", T0.plusSeconds(2)); // the first replay of dead letter 5: new
        pipe(interaction, "dlq/0/5", T0.plusSeconds(3)); // the same dead letter again: dropped
        pipe(interaction, "dlq/1/7", T0.plusSeconds(4)); // a later dead letter of it: new

        assertThat(fixture.engagements())
                .extracting(TestRecord::timestamp)
                .containsExactly(
                        T0.toEpochMilli(),
                        T0.plusSeconds(2).toEpochMilli(),
                        T0.plusSeconds(4).toEpochMilli());
    }

    @Test
    void aReplayedRecordThatFailsAgainIsDeadLetteredWithItsReplayCount() {
        pipe(event("i-2", "u-1", T0).setEventName(null).build(), "dlq/0/9", T0);

        List<TestRecord<byte[], DeadLetter>> deadLetters = fixture.deadLetters();
        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0).value().getReplayCount()).isEqualTo(2);
        assertThat(deadLetters.get(0).value().getReplayedFrom()).isEqualTo("dlq/0/9");
    }

    @Test
    void aFirstFailureHasReplayCount0() {
        pipe(event("i-3", "u-1", T0).setEventName(null).build(), null, T0);

        DeadLetter deadLetter = fixture.deadLetters().get(0).value();
        assertThat(deadLetter.getReplayCount()).isZero();
        assertThat(deadLetter.getReplayedFrom()).isNull();
    }

    private void pipe(BotInteraction interaction, String replayOf, Instant timestamp) {
        RecordHeaders headers = new RecordHeaders();
        if (replayOf != null) {
            ReplayMarker.mark(headers, replayOf, 2);
        }
        input.pipeInput(new TestRecord<>(
                interaction.getFbUserId().getBytes(StandardCharsets.UTF_8),
                fixture.avro(interaction),
                headers,
                timestamp));
    }
}
