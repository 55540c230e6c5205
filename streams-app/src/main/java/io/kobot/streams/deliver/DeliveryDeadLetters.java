package io.kobot.streams.deliver;

import io.kobot.kochava.DeliveryResult;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.DeliveryOutcome;
import io.kobot.schema.Engagement;
import io.kobot.schema.deadletter.RejectionReason;
import io.kobot.streams.deadletter.DeadLetters;
import java.time.Instant;

/**
 * The dead letter of a failed delivery: the Engagement's (or the forwarded IdentityLink's) Avro bytes, the reason and
 * Kochava's last answer.
 */
final class DeliveryDeadLetters {
    private DeliveryDeadLetters() {}

    /**
     * @param engagementsTopic the topic whose {@code -value} subject the engagement bytes were written with, so a
     *                         reader of the dead letter knows what {@code original_value} holds
     */
    static DeadLetter of(
            Engagement engagement,
            OutboxEntry entry,
            DeliveryResult result,
            String engagementsTopic,
            Instant failedAt) {
        RejectionReason reason = reasonOf(result);
        // The client's error texts hold a status and a classification, never a response body (it may echo personal
        // data), and are scrubbed of fb_user_id: safe to keep.
        return DeadLetters.builder(
                        reason,
                        result.error(),
                        new DeadLetters.Source(engagementsTopic, null, null, entry.key(), entry.payload()),
                        failedAt)
                .setInteractionId(engagement.getInteractionId())
                .setKochavaAppId(engagement.getKochavaAppId())
                .setHttpStatus(result.httpStatus())
                .setAttempts(result.attempts())
                .setReplayCount(entry.replayCount())
                .setReplayedFrom(entry.replayOf())
                .build();
    }

    /**
     * The dead letter of an identity link Kochava did not take: the IdentityLink's Avro bytes as read from
     * {@code identityLinksTopic}, so that it can be replayed there, the app it was sent for, and Kochava's last answer.
     */
    static DeadLetter ofLink(
            String appId, OutboxEntry entry, DeliveryResult result, String identityLinksTopic, Instant failedAt) {
        return DeadLetters.builder(
                        reasonOf(result),
                        result.error(),
                        new DeadLetters.Source(identityLinksTopic, null, null, entry.key(), entry.payload()),
                        failedAt)
                .setKochavaAppId(appId)
                .setHttpStatus(result.httpStatus())
                .setAttempts(result.attempts())
                .setReplayCount(entry.replayCount())
                .setReplayedFrom(entry.replayOf())
                .build();
    }

    /** The dead letter of a link left in the outbox that is no longer to be forwarded, with its bytes to replay. */
    static DeadLetter notForwarded(OutboxEntry entry, String why, String identityLinksTopic, Instant failedAt) {
        return DeadLetters.builder(
                        RejectionReason.IDENTITY_LINK_NOT_FORWARDED,
                        why,
                        new DeadLetters.Source(identityLinksTopic, null, null, entry.key(), entry.payload()),
                        failedAt)
                .setReplayCount(entry.replayCount())
                .setReplayedFrom(entry.replayOf())
                .build();
    }

    private static RejectionReason reasonOf(DeliveryResult result) {
        return result.outcome() == DeliveryOutcome.REJECTED
                ? RejectionReason.HTTP_REJECTED
                : RejectionReason.RETRIES_EXHAUSTED;
    }

    /**
     * The dead letter of an outbox entry that could not be read back: its bytes as stored (the whole entry when
     * its layout is broken, else the engagement's wire format), so that nothing is lost.
     */
    static DeadLetter unreadable(OutboxEntry entry, String reason, String sourceTopic, Instant failedAt) {
        return DeadLetters.builder(
                        RejectionReason.OUTBOX_ENTRY_UNREADABLE,
                        reason,
                        new DeadLetters.Source(sourceTopic, null, null, entry.key(), entry.payload()),
                        failedAt)
                .build();
    }
}
