package io.kobot.streams.ingest;

import io.kobot.schema.DeadLetter;
import java.util.Objects;

/**
 * What an ingest processor made of one record: the accepted value, or the dead letter that explains why not.
 * Lives only between a processor and the branch that routes it; it is never serialised.
 */
public final class IngestOutcome<T> {
    private final T accepted;
    private final DeadLetter rejected;

    private IngestOutcome(T accepted, DeadLetter rejected) {
        this.accepted = accepted;
        this.rejected = rejected;
    }

    /** An accepted value; null stands for an accepted tombstone (a deleted identity link). */
    public static <T> IngestOutcome<T> accepted(T value) {
        return new IngestOutcome<>(value, null);
    }

    public static <T> IngestOutcome<T> rejected(DeadLetter deadLetter) {
        return new IngestOutcome<>(null, Objects.requireNonNull(deadLetter, "deadLetter"));
    }

    public boolean isAccepted() {
        return rejected == null;
    }

    /** The accepted value (null for a tombstone); null for a rejection too. */
    public T value() {
        return accepted;
    }

    public DeadLetter deadLetter() {
        return rejected;
    }
}
