package io.kobot.streams.dedup;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Where the first copy of an interaction was read: what the dedup store keeps for each id, so that reading that
 * same record again is told apart from a copy of it. Under {@code at_least_once} the store (and its changelog) can
 * be ahead of the committed input offsets after a crash; the record then read again is the first copy itself and
 * must be forwarded again, not dropped as its own duplicate. Under {@code exactly_once_v2} the store never gets
 * ahead, so this never matches a record read again.
 *
 * <p>Stored as 17 bytes: a format byte, a hash of the topic (the source topic or the repartition topic; a
 * collision needs two topics of the same task with equal hashes and the same partition and offset), the partition
 * and the offset. Values written before this format (an 8-byte timestamp) carry no coordinates and match no record.
 */
record FirstCopy(int topicHash, int partition, long offset) {
    private static final byte FORMAT = 1;
    private static final int SIZE = 1 + Integer.BYTES + Integer.BYTES + Long.BYTES;
    private static final FirstCopy UNKNOWN = new FirstCopy(0, -1, -1);

    /** The coordinates of the record being processed; unknown (matching nothing) when it has none. */
    static FirstCopy of(Optional<RecordMetadata> source) {
        return source.map(m -> new FirstCopy(m.topic().hashCode(), m.partition(), m.offset()))
                .orElse(UNKNOWN);
    }

    static FirstCopy decode(byte[] stored) {
        if (stored == null || stored.length != SIZE || stored[0] != FORMAT) {
            return UNKNOWN;
        }
        ByteBuffer buffer = ByteBuffer.wrap(stored, 1, SIZE - 1);
        return new FirstCopy(buffer.getInt(), buffer.getInt(), buffer.getLong());
    }

    byte[] encode() {
        return ByteBuffer.allocate(SIZE)
                .put(FORMAT)
                .putInt(topicHash)
                .putInt(partition)
                .putLong(offset)
                .array();
    }

    /** Whether {@code other} is this very record read again (never true when either is unknown). */
    boolean isSameRecordAs(FirstCopy other) {
        return partition >= 0 && equals(other);
    }
}
