package io.kobot.streams.topology;

import io.kobot.kochava.PingHostAllowlist;

import java.time.Duration;
import java.util.Objects;

/**
 * What shapes the topology, taken from the pipeline configuration.
 *
 * @param topics               topic names
 * @param dedupRetention       how long an interaction id is remembered ({@code dedup.retention})
 * @param maxFutureSkew        how far {@code occurred_at} may lie after the record's timestamp
 * @param maxEventDataBytes    the largest {@code event_data} accepted, in UTF-8 bytes
 * @param rekeyMode            see {@link RekeyMode}
 * @param writeEngagements     whether engagements are written to {@code topics.engagements}
 * @param pingAllowedHosts     the hosts tracking URLs may name ({@code kochava.ping.allowed-hosts})
 */
public record TopologySettings(TopicNames topics, Duration dedupRetention, Duration maxFutureSkew,
                               int maxEventDataBytes, RekeyMode rekeyMode, boolean writeEngagements,
                               PingHostAllowlist pingAllowedHosts) {
    public static final TopologySettings DEFAULTS = new TopologySettings(TopicNames.DEFAULTS, Duration.ofHours(24),
            Duration.ofMinutes(10), 64 * 1024, RekeyMode.AUTO, true);

    /** Settings whose tracking URLs may name Kochava's hosts only (the default list). */
    public TopologySettings(TopicNames topics, Duration dedupRetention, Duration maxFutureSkew,
                            int maxEventDataBytes, RekeyMode rekeyMode, boolean writeEngagements) {
        this(topics, dedupRetention, maxFutureSkew, maxEventDataBytes, rekeyMode, writeEngagements,
                PingHostAllowlist.of(PingHostAllowlist.KOCHAVA_HOSTS));
    }

    public TopologySettings {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(rekeyMode, "rekeyMode");
        Objects.requireNonNull(pingAllowedHosts, "pingAllowedHosts");
        if (dedupRetention.isNegative() || dedupRetention.isZero()) {
            throw new IllegalArgumentException("dedupRetention must be positive");
        }
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("maxFutureSkew must not be negative");
        }
        if (maxEventDataBytes <= 0) {
            throw new IllegalArgumentException("maxEventDataBytes must be positive");
        }
    }

    public TopologySettings withTopics(TopicNames newTopics) {
        return new TopologySettings(newTopics, dedupRetention, maxFutureSkew, maxEventDataBytes, rekeyMode,
                writeEngagements, pingAllowedHosts);
    }

    public TopologySettings withRekeyMode(RekeyMode mode) {
        return new TopologySettings(topics, dedupRetention, maxFutureSkew, maxEventDataBytes, mode,
                writeEngagements, pingAllowedHosts);
    }

    public TopologySettings withPingAllowedHosts(PingHostAllowlist hosts) {
        return new TopologySettings(topics, dedupRetention, maxFutureSkew, maxEventDataBytes, rekeyMode,
                writeEngagements, hosts);
    }
}
