package io.kobot.streams.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class OutboxEntryTest {
    private final Serde<OutboxEntry> serde = OutboxEntry.serde();

    @Test
    void aPlainEntryKeepsTheV1LayoutAndRoundTrips() {
        OutboxEntry entry = new OutboxEntry(bytes("u-1"), 42L, bytes("engagement"));

        byte[] serialized = serde.serializer().serialize("t", entry);
        OutboxEntry read = serde.deserializer().deserialize("t", serialized);

        assertThat(serialized[0]).isEqualTo((byte) 1);
        assertThat(read.key()).isEqualTo(entry.key());
        assertThat(read.timestamp()).isEqualTo(42L);
        assertThat(read.engagement()).isEqualTo(entry.engagement());
        assertThat(read.replayOf()).isNull();
        assertThat(read.replayCount()).isZero();
    }

    @Test
    void aReplayedEntryKeepsItsMarker() {
        OutboxEntry entry = new OutboxEntry(null, 7L, bytes("engagement"), "dlq/1/99", 3);

        OutboxEntry read =
                serde.deserializer().deserialize("t", serde.serializer().serialize("t", entry));

        assertThat(read.key()).isNull();
        assertThat(read.engagement()).isEqualTo(entry.engagement());
        assertThat(read.replayOf()).isEqualTo("dlq/1/99");
        assertThat(read.replayCount()).isEqualTo(3);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
