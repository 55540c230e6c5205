package io.kobot.streams.dedup;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The first copy of an interaction: its timestamp, and where it was read, so that reading that same record again is
 * told apart from a copy of it. Under {@code at_least_once} the store (and its changelog) can be ahead of the
 * committed input offsets after a crash; the record then read again is the first copy itself and must be forwarded
 * again, not dropped as its own duplicate. Under {@code exactly_once_v2} the store never gets ahead, so this never
 * matches a record read again.
 *
 * <p>Stored as 25 bytes: a format byte (2), a hash of the topic (the source topic or the repartition topic; a
 * collision needs two topics of the same task with equal hashes and the same partition and offset), the partition,
 * the offset and the timestamp ({@link FirstCopies} files it under the start of its time bucket, so the exact time
 * lives here). The previous store ({@link PreviousFirstCopies}) kept the timestamp in its key and stored format 1
 * (17 bytes, no timestamp) or, before that, an 8-byte timestamp with no coordinates, which matches no record.
 */
record FirstCopy(int topicHash, int partition, long offset, long timestamp) {
    private static final byte FORMAT = 2;
    private static final int SIZE = 1 + Integer.BYTES + Integer.BYTES + Long.BYTES + Long.BYTES;
    private static final byte PREVIOUS_FORMAT = 1;
    private static final int PREVIOUS_SIZE = 1 + Integer.BYTES + Integer.BYTES + Long.BYTES;

    /** The record being processed, at {@code timestamp}; its coordinates unknown (matching nothing) if it has none. */
    static FirstCopy of(Optional<RecordMetadata> source, long timestamp) {
        return source.map(m -> new FirstCopy(m.topic().hashCode(), m.partition(), m.offset(), timestamp))
                .orElseGet(() -> unknownAt(timestamp));
    }

    /** Decodes what {@link #encode()} wrote; empty for anything else. */
    static Optional<FirstCopy> decode(byte[] stored) {
        if (stored == null || stored.length != SIZE || stored[0] != FORMAT) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(stored, 1, SIZE - 1);
        return Optional.of(new FirstCopy(buffer.getInt(), buffer.getInt(), buffer.getLong(), buffer.getLong()));
    }

    /** Decodes a value of the previous store, whose key carried the {@code timestamp}. */
    static FirstCopy decodePrevious(byte[] stored, long timestamp) {
        if (stored == null || stored.length != PREVIOUS_SIZE || stored[0] != PREVIOUS_FORMAT) {
            return unknownAt(timestamp);
        }
        ByteBuffer buffer = ByteBuffer.wrap(stored, 1, PREVIOUS_SIZE - 1);
        return new FirstCopy(buffer.getInt(), buffer.getInt(), buffer.getLong(), timestamp);
    }

    private static FirstCopy unknownAt(long timestamp) {
        return new FirstCopy(0, -1, -1, timestamp);
    }

    byte[] encode() {
        return ByteBuffer.allocate(SIZE)
                .put(FORMAT)
                .putInt(topicHash)
                .putInt(partition)
                .putLong(offset)
                .putLong(timestamp)
                .array();
    }

    /** Whether {@code other} is this very record read again (never true when either is unknown). */
    boolean isSameRecordAs(FirstCopy other) {
        return partition >= 0 && partition == other.partition && offset == other.offset && topicHash == other.topicHash;
    }

    /** Whether {@code other} lies less than {@code retentionMs} away, before or after. */
    boolean isWithin(long retentionMs, FirstCopy other) {
        return Math.abs(timestamp - other.timestamp) < retentionMs;
    }
}
