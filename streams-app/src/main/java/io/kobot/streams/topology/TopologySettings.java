package io.kobot.streams.topology;

import io.kobot.kochava.PingHostAllowlist;
import io.kobot.partitioning.JoinKeyPartitioner;
import io.kobot.streams.ingest.InputLimits;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What shapes the topology, taken from the pipeline configuration.
 *
 * @param topics               topic names
 * @param dedupRetention       how long an interaction id is remembered ({@code dedup.retention})
 * @param maxFutureSkew        how far {@code occurred_at} may lie after the record's timestamp
 * @param maxEventDataBytes    the largest {@code event_data} accepted, in UTF-8 bytes
 * @param rekeyMode            see {@link RekeyMode}
 * @param joinKeyPartitioner   where a join key belongs ({@code partitioning.partitioner}), see
 *                             {@link JoinKeyPartitioner}
 * @param writeEngagements     whether engagements are written to {@code topics.engagements}
 * @param sourcePartitions     the partition count of the (co-partitioned) interactions and identity-links topics,
 *                             as described at start-up: where a record sits is judged against it, so it is never
 *                             guessed
 * @param maxClockSkew         how far a record timestamp may lie after the wall clock ({@code validation.max-clock-skew})
 * @param limits               the size limits of interactions, links and engagements
 * @param pingAllowedHosts     the hosts tracking URLs may name ({@code kochava.ping.allowed-hosts})
 * @param previousDedupStore   whether dedup also reads the store of the versions before {@code dedup-first-copies}:
 *                             only while an upgrade from them is in progress, as found at start-up (their store's
 *                             changelog exists)
 */
public record TopologySettings(
        TopicNames topics,
        Duration dedupRetention,
        Duration maxFutureSkew,
        int maxEventDataBytes,
        RekeyMode rekeyMode,
        JoinKeyPartitioner joinKeyPartitioner,
        boolean writeEngagements,
        int sourcePartitions,
        Duration maxClockSkew,
        InputLimits limits,
        PingHostAllowlist pingAllowedHosts,
        boolean previousDedupStore) {
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofHours(1);
    /** The defaults, on one partition (as in TopologyTestDriver); a real run states its partition count. */
    public static final TopologySettings DEFAULTS = new TopologySettings(
            TopicNames.DEFAULTS, Duration.ofHours(24), Duration.ofMinutes(10), 64 * 1024, RekeyMode.AUTO, true);

    /**
     * On one partition, with the default clock skew and size limits, tracking URLs to Kochava's hosts only (tests on
     * TopologyTestDriver).
     */
    public TopologySettings(
            TopicNames topics,
            Duration dedupRetention,
            Duration maxFutureSkew,
            int maxEventDataBytes,
            RekeyMode rekeyMode,
            boolean writeEngagements) {
        this(
                topics,
                dedupRetention,
                maxFutureSkew,
                maxEventDataBytes,
                rekeyMode,
                JoinKeyPartitioner.MURMUR2,
                writeEngagements,
                1,
                DEFAULT_MAX_CLOCK_SKEW,
                InputLimits.DEFAULTS,
                PingHostAllowlist.of(PingHostAllowlist.KOCHAVA_HOSTS),
                false);
    }

    public TopologySettings {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(rekeyMode, "rekeyMode");
        Objects.requireNonNull(joinKeyPartitioner, "joinKeyPartitioner");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(pingAllowedHosts, "pingAllowedHosts");
        if (dedupRetention.isNegative() || dedupRetention.isZero()) {
            throw new IllegalArgumentException("dedupRetention must be positive");
        }
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("maxFutureSkew must not be negative");
        }
        if (maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("maxClockSkew must not be negative");
        }
        if (maxEventDataBytes <= 0) {
            throw new IllegalArgumentException("maxEventDataBytes must be positive");
        }
        if (sourcePartitions < 1) {
            throw new IllegalArgumentException("sourcePartitions must be at least 1");
        }
    }

    public TopologySettings withTopics(TopicNames newTopics) {
        return with(copy -> copy.topics = newTopics);
    }

    public TopologySettings withRekeyMode(RekeyMode mode) {
        return with(copy -> copy.rekeyMode = mode);
    }

    public TopologySettings withJoinKeyPartitioner(JoinKeyPartitioner partitioner) {
        return with(copy -> copy.joinKeyPartitioner = partitioner);
    }

    public TopologySettings withSourcePartitions(int partitions) {
        return with(copy -> copy.sourcePartitions = partitions);
    }

    public TopologySettings withMaxClockSkew(Duration skew) {
        return with(copy -> copy.maxClockSkew = skew);
    }

    public TopologySettings withLimits(InputLimits newLimits) {
        return with(copy -> copy.limits = newLimits);
    }

    public TopologySettings withPingAllowedHosts(PingHostAllowlist hosts) {
        return with(copy -> copy.pingAllowedHosts = hosts);
    }

    public TopologySettings withPreviousDedupStore(boolean readsIt) {
        return with(copy -> copy.previousDedupStore = readsIt);
    }

    /** A copy with one change, so that each {@code with…} names only the component it changes. */
    private TopologySettings with(Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    /** The components as mutable fields, for {@link #with}. */
    private static final class Copy {
        private TopicNames topics;
        private final Duration dedupRetention;
        private final Duration maxFutureSkew;
        private final int maxEventDataBytes;
        private RekeyMode rekeyMode;
        private JoinKeyPartitioner joinKeyPartitioner;
        private final boolean writeEngagements;
        private int sourcePartitions;
        private Duration maxClockSkew;
        private InputLimits limits;
        private PingHostAllowlist pingAllowedHosts;
        private boolean previousDedupStore;

        Copy(TopologySettings from) {
            topics = from.topics;
            dedupRetention = from.dedupRetention;
            maxFutureSkew = from.maxFutureSkew;
            maxEventDataBytes = from.maxEventDataBytes;
            rekeyMode = from.rekeyMode;
            joinKeyPartitioner = from.joinKeyPartitioner;
            writeEngagements = from.writeEngagements;
            sourcePartitions = from.sourcePartitions;
            maxClockSkew = from.maxClockSkew;
            limits = from.limits;
            pingAllowedHosts = from.pingAllowedHosts;
            previousDedupStore = from.previousDedupStore;
        }

        TopologySettings build() {
            return new TopologySettings(
                    topics,
                    dedupRetention,
                    maxFutureSkew,
                    maxEventDataBytes,
                    rekeyMode,
                    joinKeyPartitioner,
                    writeEngagements,
                    sourcePartitions,
                    maxClockSkew,
                    limits,
                    pingAllowedHosts,
                    previousDedupStore);
        }
    }
}
