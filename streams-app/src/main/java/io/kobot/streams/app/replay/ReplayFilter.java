package io.kobot.streams.app.replay;

import io.kobot.schema.DeadLetter;
import io.kobot.schema.deadletter.RejectionReason;
import io.kobot.schema.deadletter.RejectionReason.Replay;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which dead letters a replay takes. Without reason codes it takes only failures that were not the record's fault
 * ({@link #REPLAYED_BY_DEFAULT}); bad input is replayed only when its code is named, e.g. after a validation rule
 * was fixed. Each code's rule is its {@link RejectionReason#replay()}; codes never replayed are refused as options.
 *
 * @param reasons      the reason codes named with {@code --reason}; empty for the default set
 * @param from         failed at or after (inclusive), if given
 * @param to           failed before (exclusive), if given
 * @param sourceTopics only dead letters whose {@code source_topic} is one of these; empty for any
 * @param appIds       only dead letters whose {@code kochava_app_id} is one of these; empty for any
 */
public record ReplayFilter(
        Set<String> reasons,
        Optional<Instant> from,
        Optional<Instant> to,
        Set<String> sourceTopics,
        Set<String> appIds) {
    /** Failures of delivery or of the pipeline itself: the record was fine. */
    public static final Set<String> REPLAYED_BY_DEFAULT = RejectionReason.replayed(Replay.BY_DEFAULT).stream()
            .map(Enum::name)
            .collect(Collectors.toUnmodifiableSet());

    public ReplayFilter {
        reasons = Set.copyOf(reasons);
        sourceTopics = Set.copyOf(sourceTopics);
        appIds = Set.copyOf(appIds);
    }

    public Set<String> effectiveReasons() {
        return reasons.isEmpty() ? REPLAYED_BY_DEFAULT : reasons;
    }

    /** Why a dead letter is left out, or empty when it is taken. */
    public Optional<String> exclusion(DeadLetter deadLetter) {
        if (neverReplayed(deadLetter.getReasonCode())) {
            return Optional.of("reason never replayed: not a record of a topic the pipeline reads");
        }
        if (!effectiveReasons().contains(deadLetter.getReasonCode())) {
            return Optional.of(reasons.isEmpty() ? "reason not replayed unless named with --reason" : "another reason");
        }
        Instant failedAt = deadLetter.getFailedAt();
        if (from.isPresent() && failedAt.isBefore(from.get()) || to.isPresent() && !failedAt.isBefore(to.get())) {
            return Optional.of("failed outside --from/--to");
        }
        if (!sourceTopics.isEmpty() && !sourceTopics.contains(deadLetter.getSourceTopic())) {
            return Optional.of("another source topic");
        }
        if (!appIds.isEmpty() && !appIds.contains(deadLetter.getKochavaAppId())) {
            return Optional.of("another app id");
        }
        return Optional.empty();
    }

    private static boolean neverReplayed(String code) {
        return RejectionReason.of(code)
                .filter(reason -> reason.replay() == Replay.NEVER)
                .isPresent();
    }
}
