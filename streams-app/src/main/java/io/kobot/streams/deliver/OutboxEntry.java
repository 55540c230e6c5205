package io.kobot.streams.deliver;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One delivery waiting in the outbox, an engagement or an identity link to forward: what the sink needs to deliver
 * it and to write its outcome after a restart, with nothing decoded. The record stays in its Avro wire format,
 * which also becomes the dead letter's {@code original_value}.
 *
 * @param kind        what the payload holds
 * @param key         the record key (fb_user_id bytes, or the interaction id when there is no user)
 * @param timestamp   the record timestamp, kept for the audit and dead-letter records
 * @param payload     the Engagement, or the IdentityLink, in the Confluent wire format; for an unreadable entry, the
 *                    stored bytes as they are
 * @param replayOf    for a record replayed from the dead-letter topic, the dead letter's coordinates, else null
 * @param replayCount how many times the record has been replayed (0 when it is not a replay)
 * @param readable    false when the stored bytes could not be parsed (see {@link #unreadable})
 */
record OutboxEntry(
        Kind kind, byte[] key, long timestamp, byte[] payload, String replayOf, int replayCount, boolean readable) {
    /** Format version, first byte of every value, so that the layout can change with a rolling upgrade. */
    private static final byte V1 = 1;
    /** V1 plus the replay marker; written only for replayed records, so V1 readers still read all others. */
    private static final byte V2 = 2;
    /**
     * V2 plus the kind; written only for identity links, so that V1 and V2 readers still read every engagement (an
     * older reader dead-letters a link entry as unreadable, with its bytes, rather than send it as an engagement).
     */
    private static final byte V3 = 3;

    enum Kind {
        ENGAGEMENT,
        IDENTITY_LINK
    }

    OutboxEntry(byte[] key, long timestamp, byte[] engagement) {
        this(Kind.ENGAGEMENT, key, timestamp, engagement, null, 0, true);
    }

    OutboxEntry(byte[] key, long timestamp, byte[] engagement, String replayOf, int replayCount) {
        this(Kind.ENGAGEMENT, key, timestamp, engagement, replayOf, replayCount, true);
    }

    /** An identity link to forward to Kochava. */
    static OutboxEntry identityLink(byte[] key, long timestamp, byte[] link, String replayOf, int replayCount) {
        return new OutboxEntry(Kind.IDENTITY_LINK, key, timestamp, link, replayOf, replayCount, true);
    }

    /**
     * What a corrupt value reads as: never an exception, because the store's iterator would throw before the sink
     * could learn which key it was on, and the entry could then neither be sent nor dead-lettered.
     */
    static OutboxEntry unreadable(byte[] stored) {
        return new OutboxEntry(Kind.ENGAGEMENT, null, -1, stored, null, 0, false);
    }

    static Serde<OutboxEntry> serde() {
        return Serdes.serdeFrom(new EntrySerializer(), new EntryDeserializer());
    }

    /**
     * Layout: version, [V3: kind ordinal], key length (-1 for null), key, timestamp, [V2 and V3: replay count,
     * replay-of length, replay-of UTF-8 (V3: length -1 for none)], payload bytes to the end.
     */
    private static final class EntrySerializer implements Serializer<OutboxEntry> {
        @Override
        public byte[] serialize(String topic, OutboxEntry entry) {
            if (entry == null) {
                return null;
            }
            if (!entry.readable()) {
                return entry.payload();
            }
            byte version = entry.kind() == Kind.IDENTITY_LINK ? V3 : entry.replayOf() == null ? V1 : V2;
            int keyLength = entry.key() == null ? 0 : entry.key().length;
            byte[] replayOf = entry.replayOf() == null ? null : entry.replayOf().getBytes(StandardCharsets.UTF_8);
            int replayLength = version == V1 ? 0 : 4 + 4 + (replayOf == null ? 0 : replayOf.length);
            int kindLength = version == V3 ? 1 : 0;
            ByteBuffer buffer =
                    ByteBuffer.allocate(1 + kindLength + 4 + keyLength + 8 + replayLength + entry.payload().length);
            buffer.put(version);
            if (version == V3) {
                buffer.put((byte) entry.kind().ordinal());
            }
            buffer.putInt(entry.key() == null ? -1 : keyLength);
            if (entry.key() != null) {
                buffer.put(entry.key());
            }
            buffer.putLong(entry.timestamp());
            if (version != V1) {
                buffer.putInt(entry.replayCount()).putInt(replayOf == null ? -1 : replayOf.length);
                if (replayOf != null) {
                    buffer.put(replayOf);
                }
            }
            return buffer.put(entry.payload()).array();
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
                if (version != V1 && version != V2 && version != V3) {
                    return unreadable(data);
                }
                Kind kind = Kind.ENGAGEMENT;
                if (version == V3) {
                    int ordinal = buffer.get();
                    if (ordinal < 0 || ordinal >= Kind.values().length) {
                        return unreadable(data);
                    }
                    kind = Kind.values()[ordinal];
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
                if (version != V1) {
                    replayCount = buffer.getInt();
                    int replayLength = buffer.getInt();
                    boolean none = version == V3 && replayLength == -1;
                    if (!none && (replayLength < 0 || replayLength > buffer.remaining())) {
                        return unreadable(data);
                    }
                    if (!none) {
                        byte[] replay = new byte[replayLength];
                        buffer.get(replay);
                        replayOf = new String(replay, StandardCharsets.UTF_8);
                    }
                }
                byte[] payload = new byte[buffer.remaining()];
                buffer.get(payload);
                return new OutboxEntry(kind, key, timestamp, payload, replayOf, replayCount, true);
            } catch (BufferUnderflowException e) {
                return unreadable(data);
            }
        }
    }
}
