package io.kobot.connect.kochava;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets of each partition that were handed to the Kochava client and are neither delivered nor dead-lettered
 * yet. Deliveries end in any order; the lowest offset still open bounds what may be committed, so a crash redelivers
 * at most the records from there on and never skips one.
 *
 * <p>Used by the task's thread only. A {@link Ticket} points at the partition state it was issued by, so a completion
 * that arrives after its partition was closed (and perhaps assigned again) touches only the discarded state.
 */
final class OffsetTracker {

    /** One tracked offset, to {@link #complete}. */
    static final class Ticket {
        private final Offsets owner;
        private final long offset;

        private Ticket(Offsets owner, long offset) {
            this.owner = owner;
            this.offset = offset;
        }

        long offset() {
            return offset;
        }
    }

    private static final class Offsets {
        private final TreeSet<Long> open = new TreeSet<>();
    }

    private final Map<TopicPartition, Offsets> partitions = new HashMap<>();

    /** Marks {@code offset} of {@code partition} as handed over and not done. */
    Ticket track(TopicPartition partition, long offset) {
        Offsets offsets = partitions.computeIfAbsent(partition, tp -> new Offsets());
        offsets.open.add(offset);
        return new Ticket(offsets, offset);
    }

    /** Marks the ticket's offset done: delivered, or reported as an errant record. */
    void complete(Ticket ticket) {
        ticket.owner.open.remove(ticket.offset);
    }

    /** Whether the ticket's partition is still tracked as it was when the ticket was issued. */
    boolean isCurrent(TopicPartition partition, Ticket ticket) {
        return partitions.get(partition) == ticket.owner;
    }

    /**
     * The offsets safe to commit: for each partition of {@code consumed} (the next offsets to consume, as Connect
     * passes them to preCommit), the lowest open offset if there is one, else the consumed position.
     */
    Map<TopicPartition, OffsetAndMetadata> committable(Map<TopicPartition, OffsetAndMetadata> consumed) {
        Map<TopicPartition, OffsetAndMetadata> committable = new HashMap<>();
        consumed.forEach((partition, position) -> {
            Offsets offsets = partitions.get(partition);
            if (offsets == null || offsets.open.isEmpty() || offsets.open.first() >= position.offset())
                committable.put(partition, position);
            else committable.put(partition, new OffsetAndMetadata(offsets.open.first(), position.metadata()));
        });
        return committable;
    }

    /** Stops tracking partitions this task no longer owns; their open records go to the next owner. */
    void forget(Collection<TopicPartition> closed) {
        closed.forEach(partitions::remove);
    }

    /** Offsets open across all tracked partitions. */
    int open() {
        return partitions.values().stream()
                .mapToInt(offsets -> offsets.open.size())
                .sum();
    }
}
