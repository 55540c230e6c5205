package io.kobot.streams.deadletter;

import io.kobot.schema.DeadLetter;
import io.kobot.schema.deadletter.RejectionReason;
import io.kobot.streams.replay.ReplayMarker;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;

/**
 * Builds {@link DeadLetter} records; the single place that decides their shape.
 *
 * <p>A dead letter must fit in one Kafka record, or producing it fails and, under exactly-once, the task with it:
 * the partition would never move past the bad record. So the original bytes are kept whole up to a bound well
 * under the default 1 MiB record limit and cut beyond it, with the whole size recorded; the source coordinates
 * still point to the whole record.
 */
public final class DeadLetters {
    static final int MAX_ORIGINAL_VALUE_BYTES = 512 * 1024;
    static final int MAX_ORIGINAL_KEY_BYTES = 16 * 1024;
    /**
     * The most a dead letter can weigh as a Kafka record: both cut originals, its message and coordinates (messages
     * are short: no input is quoted), and the record overhead. The producer's max.request.size must allow it.
     */
    public static final int LARGEST_BYTES = MAX_ORIGINAL_VALUE_BYTES + 2 * MAX_ORIGINAL_KEY_BYTES + 16 * 1024;

    private DeadLetters() {}

    /** Where the original record came from; any part may be unknown (null). */
    public record Source(String topic, Integer partition, Long offset, byte[] key, byte[] value) {}

    public static DeadLetter.Builder builder(RejectionReason reason, String message, Source source, Instant failedAt) {
        return DeadLetter.newBuilder()
                .setReasonCode(reason.name())
                .setStage(reason.stage().label())
                .setMessage(message == null ? reason.name() : message)
                .setSourceTopic(source.topic())
                .setSourcePartition(source.partition())
                .setSourceOffset(source.offset())
                .setOriginalKey(prefix(source.key(), MAX_ORIGINAL_KEY_BYTES))
                .setOriginalKeySize(sizeIfCut(source.key(), MAX_ORIGINAL_KEY_BYTES))
                .setOriginalValue(prefix(source.value(), MAX_ORIGINAL_VALUE_BYTES))
                .setOriginalValueSize(sizeIfCut(source.value(), MAX_ORIGINAL_VALUE_BYTES))
                .setFailedAt(failedAt);
    }

    /**
     * Records on a dead letter that the failed record was a replay (see {@link ReplayMarker}), so that the replay
     * count survives another failure.
     */
    public static DeadLetter.Builder withReplayOf(DeadLetter.Builder builder, Headers headers) {
        return builder.setReplayCount(ReplayMarker.replayCount(headers))
                .setReplayedFrom(ReplayMarker.replayOf(headers));
    }

    /**
     * The Kafka key of a dead letter: the original key, or its first bytes when it is longer than the dead letter
     * keeps ({@code original_key_size} then tells the whole size), so that a huge key cannot make the dead letter
     * larger than the producer accepts.
     */
    public static byte[] recordKey(byte[] originalKey) {
        return originalKey == null || originalKey.length <= MAX_ORIGINAL_KEY_BYTES
                ? originalKey
                : java.util.Arrays.copyOf(originalKey, MAX_ORIGINAL_KEY_BYTES);
    }

    public static DeadLetter of(RejectionReason reason, String message, Source source, Instant failedAt) {
        return builder(reason, message, source, failedAt).build();
    }

    private static ByteBuffer prefix(byte[] bytes, int max) {
        return bytes == null
                ? null
                : ByteBuffer.wrap(bytes, 0, Math.min(bytes.length, max)).slice();
    }

    private static Integer sizeIfCut(byte[] bytes, int max) {
        return bytes != null && bytes.length > max ? bytes.length : null;
    }
}
