package io.kobot.streams.ingest;

import io.kobot.partitioning.JoinKeyPartitioner;
import io.kobot.schema.deadletter.RejectionReason;
import io.kobot.streams.metrics.PipelineMetrics;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a source record sits where its join key belongs, so that it may skip the repartition.
 *
 * <p>Task {@code p} deduplicates and joins what sits in partition {@code p} of the source topics and of the
 * repartition topics, so a record keyed by its join key meets its copies and its user's IdentityLink only in the
 * partition the configured {@link JoinKeyPartitioner} gives that key (murmur2 by default, as Kafka Streams and the
 * Java client place keys; or CRC32 or FNV-1a, as other clients do). Producers with another partitioner put the same
 * key elsewhere: such a record is <em>misplaced</em>: counted by topic, reported once per partition, and re-keyed or
 * dead-lettered by the caller.
 *
 * <p>The partition count is the one of the co-partitioned source topics, read once at start-up; shared by every
 * task and thread of the instance.
 */
public final class JoinKeyPlacement {
    private static final Logger log = LoggerFactory.getLogger(JoinKeyPlacement.class);

    /** Where a record sits relative to its join key. */
    public enum Verdict {
        /** Keyed by its join key, in the partition Kafka Streams chooses for it. */
        IN_PLACE,
        /** Not keyed by its join key (another key, or none). */
        MIS_KEYED,
        /** Keyed by its join key, but in another partition. */
        MISPLACED
    }

    /**
     * What ingest does with an accepted record, given where it sits: whether it flows on ({@code true}) or must be
     * repartitioned ({@code false}); it may also reject it.
     */
    @FunctionalInterface
    public interface Rule {
        boolean inPlace(Optional<RecordMetadata> source, byte[] key, byte[] joinKey) throws InvalidRecordException;
    }

    /** Every record is repartitioned, wherever it sits ({@code partitioning.rekey=ALWAYS}). */
    public static final Rule REPARTITION_ALL = (source, key, joinKey) -> false;

    private final int partitions;
    private final JoinKeyPartitioner partitioner;
    private final boolean rejectMisplaced;
    private final PipelineMetrics metrics;
    private final Set<TopicPartition> reported = ConcurrentHashMap.newKeySet();

    /**
     * @param partitions      the partition count of the source topics
     * @param partitioner     where a join key belongs ({@code partitioning.partitioner})
     * @param rejectMisplaced whether misplaced records are dead-lettered ({@code partitioning.rekey=NEVER}) rather
     *                        than re-keyed; only changes what the log tells the operator
     */
    public JoinKeyPlacement(
            int partitions, JoinKeyPartitioner partitioner, boolean rejectMisplaced, PipelineMetrics metrics) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        this.partitions = partitions;
        this.partitioner = Objects.requireNonNull(partitioner, "partitioner");
        this.rejectMisplaced = rejectMisplaced;
        this.metrics = metrics;
    }

    /** The partition a record keyed by {@code joinKey} belongs in, and the repartition topics write it to. */
    public int partitionOf(byte[] joinKey) {
        return partitioner.partition(joinKey, partitions);
    }

    /** Places the records of a repartition topic keyed by join keys where this placement looks for them. */
    public <V> StreamPartitioner<byte[], V> forRepartition() {
        return (topic, key, value, partitionCount) -> key == null
                ? Optional.empty() // the producer chooses, as for any record without a key
                : Optional.of(Set.of(partitioner.partition(key, partitionCount)));
    }

    /** Judges one source record; counts and reports it when misplaced. */
    public Verdict verdict(Optional<RecordMetadata> source, byte[] key, byte[] joinKey) {
        if (key == null || !Arrays.equals(key, joinKey)) {
            return Verdict.MIS_KEYED;
        }
        // Without source coordinates (never the case at ingest) nothing proves the record in place.
        int partition = source.map(RecordMetadata::partition).orElse(-1);
        if (partition == partitionOf(joinKey)) {
            return Verdict.IN_PLACE;
        }
        String topic = source.map(RecordMetadata::topic).orElse("unknown");
        metrics.countMisplaced(topic);
        if (reported.add(new TopicPartition(topic, partition))) {
            report(topic, partition);
        }
        return Verdict.MISPLACED;
    }

    /** Records in place flow on; the others are repartitioned ({@code partitioning.rekey=AUTO}). */
    public Rule repartitionUnlessInPlace() {
        return (source, key, joinKey) -> verdict(source, key, joinKey) == Verdict.IN_PLACE;
    }

    /** Records in place flow on; the others are rejected ({@code partitioning.rekey=NEVER}). */
    public Rule rejectUnlessInPlace() {
        return (source, key, joinKey) -> {
            requireInPlace(source, key, joinKey);
            return true;
        };
    }

    /**
     * For {@code partitioning.rekey=NEVER}: a record that is not in place cannot be deduplicated or joined
     * correctly, so it is rejected.
     */
    public void requireInPlace(Optional<RecordMetadata> source, byte[] key, byte[] joinKey)
            throws InvalidRecordException {
        switch (verdict(source, key, joinKey)) {
            case MIS_KEYED:
                throw new InvalidRecordException(
                        RejectionReason.KEY_MISMATCH,
                        "the record key is not the "
                                + "interaction's fb_user_id (or interaction_id when it has none) and re-keying is off");
            case MISPLACED:
                throw new InvalidRecordException(
                        RejectionReason.MISPLACED_PARTITION,
                        "the record sits in partition "
                                + source.map(RecordMetadata::partition).orElse(-1)
                                + " but its key belongs in partition " + partitionOf(joinKey) + " ("
                                + placedBy() + ") and re-keying is off");
            default:
        }
    }

    private void report(String topic, int partition) {
        String consequence = rejectMisplaced
                ? "With partitioning.rekey=NEVER they are dead-lettered (MISPLACED_PARTITION): set "
                        + "partitioning.rekey=AUTO, or " + remedy() + "."
                : "They go once through a repartition topic, so they still meet their copies and their user's "
                        + "identity link; to spare them that extra write, set " + remedy() + ".";
        if (partition >= partitions) {
            log.error(
                    "Partition {} of {} is beyond the {} partitions read at start-up: the topic grew while "
                            + "running, which Kafka Streams does not support; restart with a new application.id. {}",
                    partition,
                    topic,
                    partitions,
                    consequence);
            return;
        }
        log.warn(
                "Partition {} of {} holds records keyed by their join key (fb_user_id) in another partition than "
                        + "that key belongs in ({}): their producer uses another partitioner than {}. {} Counted in "
                        + "kobot_misplaced_records_total; logged once per partition.",
                partition,
                topic,
                placedBy(),
                partitioner.producers(),
                consequence);
    }

    private String placedBy() {
        return partitioner.name().toLowerCase(Locale.ROOT) + " over " + partitions + " partitions, "
                + "partitioning.partitioner=" + partitioner.name();
    }

    /** What would put the producers' records in place, after "set". */
    private String remedy() {
        return "the producers' partitioner to " + partitioner.producers() + ", or partitioning.partitioner to the "
                + "function every producer of both topics uses (MURMUR2, CRC32 or FNV1A)";
    }
}
