package io.kobot.streams.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
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
        assertThat(read.kind()).isEqualTo(OutboxEntry.Kind.ENGAGEMENT);
        assertThat(read.key()).isEqualTo(entry.key());
        assertThat(read.timestamp()).isEqualTo(42L);
        assertThat(read.payload()).isEqualTo(entry.payload());
        assertThat(read.replayOf()).isNull();
        assertThat(read.replayCount()).isZero();
    }

    @Test
    void aReplayedEntryKeepsItsMarker() {
        OutboxEntry entry = new OutboxEntry(null, 7L, bytes("engagement"), "dlq/1/99", 3);

        byte[] serialized = serde.serializer().serialize("t", entry);
        OutboxEntry read = serde.deserializer().deserialize("t", serialized);

        assertThat(serialized[0]).isEqualTo((byte) 2);
        assertThat(read.kind()).isEqualTo(OutboxEntry.Kind.ENGAGEMENT);
        assertThat(read.key()).isNull();
        assertThat(read.payload()).isEqualTo(entry.payload());
        assertThat(read.replayOf()).isEqualTo("dlq/1/99");
        assertThat(read.replayCount()).isEqualTo(3);
    }

    @Test
    void entriesWrittenByEarlierVersionsStillRead() {
        // Laid out by hand as the V1 and V2 writers did, before identity links shared the outbox.
        byte[] v1 = ByteBuffer.allocate(1 + 4 + 3 + 8 + 2)
                .put((byte) 1)
                .putInt(3)
                .put(bytes("u-1"))
                .putLong(42L)
                .put(bytes("ev"))
                .array();
        byte[] v2 = ByteBuffer.allocate(1 + 4 + 8 + 4 + 4 + 3 + 2)
                .put((byte) 2)
                .putInt(-1)
                .putLong(7L)
                .putInt(2)
                .putInt(3)
                .put(bytes("d/1"))
                .put(bytes("ev"))
                .array();

        OutboxEntry first = serde.deserializer().deserialize("t", v1);
        OutboxEntry second = serde.deserializer().deserialize("t", v2);

        assertThat(first.readable()).isTrue();
        assertThat(first.kind()).isEqualTo(OutboxEntry.Kind.ENGAGEMENT);
        assertThat(first.key()).isEqualTo(bytes("u-1"));
        assertThat(first.timestamp()).isEqualTo(42L);
        assertThat(first.payload()).isEqualTo(bytes("ev"));
        assertThat(second.readable()).isTrue();
        assertThat(second.kind()).isEqualTo(OutboxEntry.Kind.ENGAGEMENT);
        assertThat(second.key()).isNull();
        assertThat(second.replayOf()).isEqualTo("d/1");
        assertThat(second.replayCount()).isEqualTo(2);
        assertThat(second.payload()).isEqualTo(bytes("ev"));
    }

    @Test
    void anIdentityLinkIsWrittenInTheV3LayoutWithItsKind() {
        OutboxEntry link = OutboxEntry.identityLink(bytes("u-1"), 9L, bytes("link"), null, 0);
        OutboxEntry replayed = OutboxEntry.identityLink(bytes("u-2"), 10L, bytes("link2"), "dlq/0/5", 1);

        byte[] serialized = serde.serializer().serialize("t", link);
        OutboxEntry read = serde.deserializer().deserialize("t", serialized);
        OutboxEntry readReplay =
                serde.deserializer().deserialize("t", serde.serializer().serialize("t", replayed));

        assertThat(serialized[0]).isEqualTo((byte) 3);
        assertThat(read.readable()).isTrue();
        assertThat(read.kind()).isEqualTo(OutboxEntry.Kind.IDENTITY_LINK);
        assertThat(read.key()).isEqualTo(bytes("u-1"));
        assertThat(read.timestamp()).isEqualTo(9L);
        assertThat(read.payload()).isEqualTo(bytes("link"));
        assertThat(read.replayOf()).isNull();
        assertThat(readReplay.kind()).isEqualTo(OutboxEntry.Kind.IDENTITY_LINK);
        assertThat(readReplay.replayOf()).isEqualTo("dlq/0/5");
        assertThat(readReplay.replayCount()).isEqualTo(1);
        assertThat(readReplay.payload()).isEqualTo(bytes("link2"));
    }

    @Test
    void anUnknownVersionOrKindReadsAsUnreadableWithItsBytes() {
        byte[] future = {4, 0, 0, 0, 0};
        byte[] badKind = ByteBuffer.allocate(1 + 1 + 4 + 8 + 4 + 4)
                .put((byte) 3)
                .put((byte) 9)
                .putInt(-1)
                .putLong(1L)
                .putInt(0)
                .putInt(-1)
                .array();

        assertThat(serde.deserializer().deserialize("t", future).readable()).isFalse();
        assertThat(serde.deserializer().deserialize("t", future).payload()).isEqualTo(future);
        assertThat(serde.deserializer().deserialize("t", badKind).readable()).isFalse();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
