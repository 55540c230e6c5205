package io.kobot.streams.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.junit.jupiter.api.Test;

class FirstCopyTest {
    @Test
    void theSameRecordReadAgainMatchesItsStoredFirstCopy() {
        FirstCopy stored =
                FirstCopy.decode(FirstCopy.of(source("bot.interactions", 2, 41)).encode());

        assertThat(stored.isSameRecordAs(FirstCopy.of(source("bot.interactions", 2, 41))))
                .isTrue();
    }

    @Test
    void aCopyAtAnotherOffsetPartitionOrTopicDoesNotMatch() {
        FirstCopy stored =
                FirstCopy.decode(FirstCopy.of(source("bot.interactions", 2, 41)).encode());

        assertThat(stored.isSameRecordAs(FirstCopy.of(source("bot.interactions", 2, 42))))
                .isFalse();
        assertThat(stored.isSameRecordAs(FirstCopy.of(source("bot.interactions", 1, 41))))
                .isFalse();
        assertThat(stored.isSameRecordAs(FirstCopy.of(source("kobot-by-user-repartition", 2, 41))))
                .isFalse();
    }

    @Test
    void anEntryWrittenBeforeCoordinatesWereStoredMatchesNothing() {
        byte[] legacyTimestamp =
                ByteBuffer.allocate(Long.BYTES).putLong(1_700_000_000_000L).array();

        assertThat(FirstCopy.decode(legacyTimestamp).isSameRecordAs(FirstCopy.of(source("t", 0, 0))))
                .isFalse();
        assertThat(FirstCopy.decode(new byte[0]).isSameRecordAs(FirstCopy.of(source("t", 0, 0))))
                .isFalse();
    }

    @Test
    void aRecordWithoutCoordinatesMatchesNothing() {
        FirstCopy unknown = FirstCopy.of(Optional.empty());

        assertThat(FirstCopy.decode(unknown.encode()).isSameRecordAs(unknown)).isFalse();
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
