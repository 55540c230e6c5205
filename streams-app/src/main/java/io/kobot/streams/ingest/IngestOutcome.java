package io.kobot.streams.ingest;

import io.kobot.schema.DeadLetter;
import java.util.Objects;

/**
 * What an ingest processor made of one record: the accepted value, or the dead letter that explains why not, and
 * whether an accepted record must go through a repartition topic to reach its join key's partition. Lives only
 * between a processor and the branch that routes it; it is never serialised.
 */
public final class IngestOutcome<T> {
    private final T accepted;
    private final DeadLetter rejected;
    private final boolean toRepartition;

    private IngestOutcome(T accepted, DeadLetter rejected, boolean toRepartition) {
        this.accepted = accepted;
        this.rejected = rejected;
        this.toRepartition = toRepartition;
    }

    /** An accepted value that flows on; null stands for an accepted tombstone (a deleted identity link). */
    public static <T> IngestOutcome<T> accepted(T value) {
        return new IngestOutcome<>(value, null, false);
    }

    /** An accepted value that is not where its join key is placed, so it goes through a repartition topic first. */
    public static <T> IngestOutcome<T> acceptedToRepartition(T value) {
        return new IngestOutcome<>(value, null, true);
    }

    public static <T> IngestOutcome<T> rejected(DeadLetter deadLetter) {
        return new IngestOutcome<>(null, Objects.requireNonNull(deadLetter, "deadLetter"), false);
    }

    public boolean isAccepted() {
        return rejected == null;
    }

    /** Whether an accepted value must be repartitioned by its join key (never true for a rejection). */
    public boolean toRepartition() {
        return toRepartition;
    }

    /** The accepted value (null for a tombstone); null for a rejection too. */
    public T value() {
        return accepted;
    }

    public DeadLetter deadLetter() {
        return rejected;
    }
}
