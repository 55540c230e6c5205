package io.kobot.messenger.publish;

import io.kobot.messenger.mapping.RejectedItem;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.deadletter.RejectionReason;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The dead letter of a malformed webhook item, in the pipeline's {@link DeadLetter} shape on the same topic, so that
 * one place shows everything that did not make it. It has no source topic (it was never on one), so the pipeline's
 * replay command never takes it; its message is the intake's own words, never the item's content.
 */
final class IntakeDeadLetters {
    /** The reason code, declared in the data contract's list beside the pipeline's. */
    static final RejectionReason REASON = RejectionReason.WEBHOOK_ITEM_MALFORMED;

    /** As the pipeline's dead letters: whole up to this, cut beyond it with the whole size recorded. */
    static final int MAX_ORIGINAL_VALUE_BYTES = 512 * 1024;

    private IntakeDeadLetters() {}

    static DeadLetter of(RejectedItem item, Instant failedAt) {
        byte[] original = item.item();
        boolean cut = original.length > MAX_ORIGINAL_VALUE_BYTES;
        return DeadLetter.newBuilder()
                .setReasonCode(REASON.name())
                .setStage(REASON.stage().label())
                .setMessage("Messenger webhook item not mapped: " + item.why())
                .setSourceTopic(null)
                .setSourcePartition(null)
                .setSourceOffset(null)
                .setOriginalKey(null)
                .setOriginalValue(ByteBuffer.wrap(original, 0, Math.min(original.length, MAX_ORIGINAL_VALUE_BYTES))
                        .slice())
                .setOriginalValueSize(cut ? original.length : null)
                .setKochavaAppId(item.kochavaAppId())
                .setFailedAt(failedAt)
                .build();
    }
}
