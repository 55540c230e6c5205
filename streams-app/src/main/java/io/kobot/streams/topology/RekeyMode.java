package io.kobot.streams.topology;

/**
 * How records reach the partition of their join key ({@code fb_user_id}; {@code interaction_id} for records
 * without one), which the deduplication and the IdentityLink join both need.
 */
public enum RekeyMode {
    /**
     * Records already keyed by their join key flow on with no repartition; the others are re-keyed once through
     * a repartition topic. The default: correct for any producer, free for producers that follow the contract.
     */
    AUTO,
    /** Every record goes through the repartition topic (producers whose keys are unrelated to the user). */
    ALWAYS,
    /**
     * No repartition topic at all; a record whose key is not its join key is dead-lettered
     * ({@code KEY_MISMATCH}) rather than joined or deduplicated in the wrong partition.
     */
    NEVER
}
