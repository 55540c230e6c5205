package io.kobot.streams.deliver;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One engagement waiting in the outbox: what the sink needs to deliver it and to write its outcome after a
 * restart, with nothing decoded. The engagement stays in its Avro wire format, which also becomes the dead
 * letter's {@code original_value}.
 *
 * @param key         the record key (fb_user_id bytes, or the interaction id when there is no user)
 * @param timestamp   the record timestamp, kept for the audit and dead-letter records
 * @param engagement  the Engagement in the Confluent wire format; for an unreadable entry, the stored bytes as they
 *                    are
 * @param replayOf    for a record replayed from the dead-letter topic, the dead letter's coordinates, else null
 * @param replayCount how many times the record has been replayed (0 when it is not a replay)
 * @param readable    false when the stored bytes could not be parsed (see {@link #unreadable})
 */
record OutboxEntry(byte[] key, long timestamp, byte[] engagement, String replayOf, int replayCount, boolean readable) {
    /** Format version, first byte of every value, so that the layout can change with a rolling upgrade. */
    private static final byte V1 = 1;
    /** V1 plus the replay marker; written only for replayed records, so V1 readers still read all others. */
    private static final byte V2 = 2;

    OutboxEntry(byte[] key, long timestamp, byte[] engagement) {
        this(key, timestamp, engagement, null, 0, true);
    }

    OutboxEntry(byte[] key, long timestamp, byte[] engagement, String replayOf, int replayCount) {
        this(key, timestamp, engagement, replayOf, replayCount, true);
    }

    /**
     * What a corrupt value reads as: never an exception, because the store's iterator would throw before the sink
     * could learn which key it was on, and the entry could then neither be sent nor dead-lettered.
     */
    static OutboxEntry unreadable(byte[] stored) {
        return new OutboxEntry(null, -1, stored, null, 0, false);
    }

    static Serde<OutboxEntry> serde() {
        return Serdes.serdeFrom(new EntrySerializer(), new EntryDeserializer());
    }

    /**
     * Layout: version, key length (-1 for null), key, timestamp, [V2: replay count, replay-of length, replay-of
     * UTF-8], engagement bytes to the end.
     */
    private static final class EntrySerializer implements Serializer<OutboxEntry> {
        @Override
        public byte[] serialize(String topic, OutboxEntry entry) {
            if (entry == null) {
                return null;
            }
            if (!entry.readable()) {
                return entry.engagement();
            }
            int keyLength = entry.key() == null ? 0 : entry.key().length;
            byte[] replayOf = entry.replayOf() == null ? null : entry.replayOf().getBytes(StandardCharsets.UTF_8);
            int replayLength = replayOf == null ? 0 : 4 + 4 + replayOf.length;
            ByteBuffer buffer = ByteBuffer.allocate(1 + 4 + keyLength + 8 + replayLength + entry.engagement().length);
            buffer.put(replayOf == null ? V1 : V2).putInt(entry.key() == null ? -1 : keyLength);
            if (entry.key() != null) {
                buffer.put(entry.key());
            }
            buffer.putLong(entry.timestamp());
            if (replayOf != null) {
                buffer.putInt(entry.replayCount()).putInt(replayOf.length).put(replayOf);
            }
            return buffer.put(entry.engagement()).array();
        }
    }

    private static final class EntryDeserializer implements Deserializer<OutboxEntry> {
        @Override
        public OutboxEntry deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            try {
                ByteBuffer buffer = ByteBuffer.wrap(data);
                byte version = buffer.get();
                if (version != V1 && version != V2) {
                    return unreadable(data);
                }
                int keyLength = buffer.getInt();
                if (keyLength < -1 || keyLength > buffer.remaining() - 8) {
                    return unreadable(data);
                }
                byte[] key = null;
                if (keyLength >= 0) {
                    key = new byte[keyLength];
                    buffer.get(key);
                }
                long timestamp = buffer.getLong();
                String replayOf = null;
                int replayCount = 0;
                if (version == V2) {
                    replayCount = buffer.getInt();
                    int replayLength = buffer.getInt();
                    if (replayLength < 0 || replayLength > buffer.remaining()) {
                        return unreadable(data);
                    }
                    byte[] replay = new byte[replayLength];
                    buffer.get(replay);
                    replayOf = new String(replay, StandardCharsets.UTF_8);
                }
                byte[] engagement = new byte[buffer.remaining()];
                buffer.get(engagement);
                return new OutboxEntry(key, timestamp, engagement, replayOf, replayCount, true);
            } catch (BufferUnderflowException e) {
                return unreadable(data);
            }
        }
    }
}
