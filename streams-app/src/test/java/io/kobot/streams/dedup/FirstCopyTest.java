package io.kobot.streams.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.junit.jupiter.api.Test;

class FirstCopyTest {
    private static final long T = 1_700_000_000_000L;

    @Test
    void theSameRecordReadAgainMatchesItsStoredFirstCopy() {
        FirstCopy stored = stored(FirstCopy.of(source("bot.interactions", 2, 41), T));

        assertThat(stored.isSameRecordAs(FirstCopy.of(source("bot.interactions", 2, 41), T)))
                .isTrue();
        assertThat(stored.timestamp()).isEqualTo(T);
    }

    @Test
    void aCopyAtAnotherOffsetPartitionOrTopicDoesNotMatch() {
        FirstCopy stored = stored(FirstCopy.of(source("bot.interactions", 2, 41), T));

        assertThat(stored.isSameRecordAs(FirstCopy.of(source("bot.interactions", 2, 42), T)))
                .isFalse();
        assertThat(stored.isSameRecordAs(FirstCopy.of(source("bot.interactions", 1, 41), T)))
                .isFalse();
        assertThat(stored.isSameRecordAs(FirstCopy.of(source("kobot-by-user-repartition", 2, 41), T)))
                .isFalse();
    }

    @Test
    void aCopyCountsWhenLessThanARetentionAwayBeforeOrAfter() {
        FirstCopy first = FirstCopy.of(source("t", 0, 0), T);

        assertThat(first.isWithin(1000, FirstCopy.of(source("t", 0, 1), T + 999)))
                .isTrue();
        assertThat(first.isWithin(1000, FirstCopy.of(source("t", 0, 1), T - 999)))
                .isTrue();
        assertThat(first.isWithin(1000, FirstCopy.of(source("t", 0, 1), T + 1000)))
                .isFalse();
        assertThat(first.isWithin(1000, FirstCopy.of(source("t", 0, 1), T - 1000)))
                .isFalse();
    }

    @Test
    void aValueOfThePreviousStoreTakesItsTimestampFromTheKeyAndStillMatchesTheSameRecord() {
        byte[] previous = ByteBuffer.allocate(17)
                .put((byte) 1)
                .putInt("bot.interactions".hashCode())
                .putInt(2)
                .putLong(41)
                .array();

        FirstCopy first = FirstCopy.decodePrevious(previous, T);

        assertThat(first.timestamp()).isEqualTo(T);
        assertThat(first.isSameRecordAs(FirstCopy.of(source("bot.interactions", 2, 41), T)))
                .isTrue();
        assertThat(first.isSameRecordAs(FirstCopy.of(source("bot.interactions", 2, 42), T)))
                .isFalse();
    }

    @Test
    void anEntryWrittenBeforeCoordinatesWereStoredMatchesNothing() {
        byte[] legacyTimestamp = ByteBuffer.allocate(Long.BYTES).putLong(T).array();

        FirstCopy legacy = FirstCopy.decodePrevious(legacyTimestamp, T);
        assertThat(legacy.isSameRecordAs(FirstCopy.of(source("t", 0, 0), T))).isFalse();
        assertThat(legacy.timestamp()).isEqualTo(T);
        assertThat(FirstCopy.decodePrevious(new byte[0], T).isSameRecordAs(FirstCopy.of(source("t", 0, 0), T)))
                .isFalse();
    }

    @Test
    void aValueOfAnotherFormatIsNotReadAsAFirstCopy() {
        assertThat(FirstCopy.decode(new byte[17])).isEmpty();
        assertThat(FirstCopy.decode(null)).isEmpty();
    }

    @Test
    void aRecordWithoutCoordinatesMatchesNothing() {
        FirstCopy unknown = FirstCopy.of(Optional.empty(), T);

        assertThat(stored(unknown).isSameRecordAs(unknown)).isFalse();
    }

    private static FirstCopy stored(FirstCopy firstCopy) {
        return FirstCopy.decode(firstCopy.encode()).orElseThrow();
    }

    private static Optional<RecordMetadata> source(String topic, int partition, long offset) {
        return Optional.of(new RecordMetadata() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public int partition() {
                return partition;
            }

            @Override
            public long offset() {
                return offset;
            }
        });
    }
}
