package io.kobot.streams.deadletter;

import io.kobot.schema.DeadLetter;
import io.kobot.streams.ingest.RejectionReason;

import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds {@link DeadLetter} records; the single place that decides their shape. */
public final class DeadLetters {
    private DeadLetters() {
    }

    /** Where the original record came from; any part may be unknown (null). */
    public record Source(String topic, Integer partition, Long offset, byte[] key, byte[] value) {
    }

    public static DeadLetter.Builder builder(RejectionReason reason, String message, Source source, Instant failedAt) {
        return DeadLetter.newBuilder()
                .setReasonCode(reason.name())
                .setStage(reason.stage().label())
                .setMessage(message == null ? reason.name() : message)
                .setSourceTopic(source.topic())
                .setSourcePartition(source.partition())
                .setSourceOffset(source.offset())
                .setOriginalKey(wrap(source.key()))
                .setOriginalValue(wrap(source.value()))
                .setFailedAt(failedAt);
    }

    public static DeadLetter of(RejectionReason reason, String message, Source source, Instant failedAt) {
        return builder(reason, message, source, failedAt).build();
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes);
    }
}
