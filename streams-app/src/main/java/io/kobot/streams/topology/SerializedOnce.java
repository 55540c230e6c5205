package io.kobot.streams.topology;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes a value once where the topology writes the same object twice: an engagement goes to
 * {@code bot.engagements} and, on the same stream thread and right after, into the delivery outbox, both as the
 * bytes the engagement serde writes for the engagements topic. Each thread remembers the last value it serialized
 * (by identity) with the topic and the bytes, and hands the same bytes out again for the same object and topic.
 *
 * <p>Sound because the topology never changes a record's value once it is built, and nothing that takes the bytes
 * changes them (the producer sends them, the outbox copies them into its entry). Anything else is serialized as
 * usual: a different object, a different topic, or another thread.
 */
final class SerializedOnce<T> implements Serializer<T> {
    private record Last(Object value, String topic, byte[] bytes) {}

    private final Serializer<T> serializer;
    private final ThreadLocal<Last> last = new ThreadLocal<>();

    SerializedOnce(Serializer<T> serializer) {
        this.serializer = serializer;
    }

    @Override
    public byte[] serialize(String topic, T value) {
        Last previous = last.get();
        if (value != null
                && previous != null
                && previous.value() == value
                && previous.topic().equals(topic)) {
            return previous.bytes();
        }
        byte[] bytes = serializer.serialize(topic, value);
        last.set(value == null || topic == null ? null : new Last(value, topic, bytes));
        return bytes;
    }

    /** The one a producer calls; headers play no part in the bytes of the serdes this wraps (Avro's). */
    @Override
    public byte[] serialize(String topic, Headers headers, T value) {
        return serialize(topic, value);
    }
}
