package io.kobot.streams.topology;

/**
 * How records reach the partition of their join key ({@code fb_user_id}; {@code interaction_id} for records
 * without one), which the deduplication and the IdentityLink join both need. A record is <em>in place</em> when it
 * is keyed by its join key and sits in the partition that key belongs in ({@code partitioning.partitioner}, see
 * {@link io.kobot.streams.ingest.JoinKeyPlacement}); producers with another partitioner put records elsewhere.
 */
public enum RekeyMode {
    /**
     * Records in place flow on with no repartition; the others (keyed otherwise, or misplaced) are re-keyed once
     * through a repartition topic, and so are misplaced identity links. The default: correct for any producer and
     * any partitioner, free for producers that key by the join key with the pipeline's partitioner.
     */
    AUTO,
    /**
     * Every interaction goes through the repartition topic (producers whose keys are unrelated to the user);
     * misplaced identity links as with {@link #AUTO}.
     */
    ALWAYS,
    /**
     * No repartition topic at all; a record whose key is not its join key is dead-lettered ({@code KEY_MISMATCH}),
     * and one keyed by it in another partition, interaction or identity link, too ({@code MISPLACED_PARTITION}),
     * rather than joined or deduplicated in the wrong partition.
     */
    NEVER
}
