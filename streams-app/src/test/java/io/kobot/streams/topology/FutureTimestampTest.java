package io.kobot.streams.topology;

import static io.kobot.streams.topology.Interactions.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.schema.deadletter.RejectionReason;
import io.kobot.streams.ingest.WallClockBoundedTimestamps;
import io.kobot.streams.metrics.PipelineMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A record timestamped far beyond the wall clock must not switch dedup off, nor be delivered silently. */
class FutureTimestampTest {
    private final TopologyFixture fixture = new TopologyFixture(TopologySettings.DEFAULTS);
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aRecordAYearAheadIsDeadLetteredAndDuplicatesOfLaterInteractionsAreStillDropped() {
        fixture.pipeAvro(event("before", "u-1", now.minusSeconds(600)).build(), now.minusSeconds(600));
        byte[] farValue = fixture.avro(event("far", "u-2", now).build());
        fixture.pipeRaw("u-2", farValue, now.plus(Duration.ofDays(365)));
        fixture.pipeAvro(event("after", "u-3", now.minusSeconds(540)).build(), now.minusSeconds(540));
        // Copies of both, later: each must be recognised.
        fixture.pipeAvro(event("before", "u-1", now.minusSeconds(600)).build(), now.minusSeconds(480));
        fixture.pipeAvro(event("after", "u-3", now.minusSeconds(540)).build(), now.minusSeconds(420));

        List<TestRecord<byte[], Engagement>> engagements = fixture.engagements();
        assertThat(engagements).extracting(r -> r.value().getInteractionId()).containsExactly("before", "after");
        assertThat(fixture.metrics.count(PipelineMetrics.DUPLICATES_DROPPED)).isEqualTo(2);

        List<TestRecord<byte[], DeadLetter>> deadLetters = fixture.deadLetters();
        assertThat(deadLetters).hasSize(1);
        DeadLetter deadLetter = deadLetters.get(0).value();
        assertThat(deadLetter.getReasonCode()).isEqualTo(RejectionReason.TIMESTAMP_IN_FUTURE.name());
        assertThat(deadLetter.getStage()).isEqualTo("ingest");
        assertThat(deadLetter.getInteractionId()).isEqualTo("far");
        assertThat(deadLetter.getOriginalValue().array()).isEqualTo(farValue);
        assertThat(deadLetter.getMessage()).contains("ahead of the wall clock");
        // The dead letter carries the clamped time, not the year-ahead one.
        assertThat(deadLetters.get(0).timestamp())
                .isLessThan(now.plus(Duration.ofHours(1)).toEpochMilli());
        assertThat(fixture.metrics.count(PipelineMetrics.DEAD_LETTER_PREFIX + "TIMESTAMP_IN_FUTURE"))
                .isEqualTo(1);
    }

    @Test
    void aTimestampWithinTheSkewIsAccepted() {
        fixture.pipeAvro(event("soon", "u-1", now).build(), now.plus(Duration.ofMinutes(30)));

        assertThat(fixture.engagements()).hasSize(1);
        assertThat(fixture.deadLetters()).isEmpty();
    }

    @Test
    void aForgedOriginalTimestampHeaderIsIgnored() {
        TestInputTopic<byte[], byte[]> input = fixture.driver.createInputTopic(
                fixture.topics.interactions(), new ByteArraySerializer(), new ByteArraySerializer());
        RecordHeaders headers = new RecordHeaders();
        headers.add(
                WallClockBoundedTimestamps.ORIGINAL_TIMESTAMP_HEADER,
                Long.toString(Long.MAX_VALUE).getBytes(StandardCharsets.UTF_8));
        input.pipeInput(new TestRecord<>(
                "u-1".getBytes(StandardCharsets.UTF_8),
                fixture.avro(event("forged", "u-1", now).build()),
                headers,
                now));

        assertThat(fixture.engagements())
                .extracting(r -> r.value().getInteractionId())
                .containsExactly("forged");
        assertThat(fixture.deadLetters()).isEmpty();
    }
}
