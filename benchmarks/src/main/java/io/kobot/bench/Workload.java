package io.kobot.bench;

import io.kobot.schema.InteractionType;

/**
 * The seeded workload. Every attribute of the record at a position is a hash of the seed and the position, so
 * every phase replays exactly the same records without holding a million of them in memory.
 *
 * <p>Mix: 70 % events, 20 % impressions, 10 % clicks; 5 % of the positions repeat an earlier interaction (a
 * retried webhook: same id and content); users drawn from {@code users}, 60 % of whom have an identity link;
 * half the impressions and clicks carry no user and are keyed by their interaction id; half the records Avro,
 * half JSON.
 */
final class Workload {
    static final double DUPLICATE_SHARE = 0.05;
    static final double LINKED_SHARE = 0.6;
    private static final int DUPLICATE_REACH = 1_000;

    private final long seed;
    private final int records;
    private final int users;
    private final int uniqueCount;

    /** One interaction: {@code id} is the position of its first occurrence, which also names it. */
    record Interaction(int id, InteractionType type, Integer user, boolean avro) {
        String interactionId() {
            return "i-" + id;
        }
    }

    Workload(long seed, int records, int users) {
        this.seed = seed;
        this.records = records;
        this.users = users;
        int unique = 0;
        for (int position = 0; position < records; position++) {
            if (!repeats(position)) {
                unique++;
            }
        }
        this.uniqueCount = unique;
    }

    int records() {
        return records;
    }

    int users() {
        return users;
    }

    /** Distinct interactions: what must come out of deduplication, and reach Kochava once each. */
    int uniqueCount() {
        return uniqueCount;
    }

    boolean isOriginal(int position) {
        return !repeats(position);
    }

    /** The interaction published at {@code position}. */
    Interaction at(int position) {
        int id = position;
        while (repeats(id)) {
            id = id - 1 - (int) (Long.remainderUnsigned(hash(id, 1), Math.min(id, DUPLICATE_REACH)));
        }
        double kind = uniform(id, 2);
        InteractionType type =
                kind < 0.7 ? InteractionType.EVENT : kind < 0.9 ? InteractionType.IMPRESSION : InteractionType.CLICK;
        Integer user = type == InteractionType.EVENT || uniform(id, 3) < 0.5
                ? (int) Long.remainderUnsigned(hash(id, 4), users)
                : null;
        return new Interaction(id, type, user, uniform(position, 5) < 0.5);
    }

    boolean hasLink(int user) {
        return uniform(-1 - user, 6) < LINKED_SHARE;
    }

    /** Whether the link of {@code user} is published as Avro (else JSON). */
    boolean linkIsAvro(int user) {
        return uniform(-1 - user, 7) < 0.5;
    }

    static String fbUserId(int user) {
        return "u" + user;
    }

    private boolean repeats(int position) {
        return position > 0 && uniform(position, 0) < DUPLICATE_SHARE;
    }

    private double uniform(long position, int attribute) {
        return (hash(position, attribute) >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finalizer over seed, position and attribute: cheap, and good enough to look random. */
    private long hash(long position, int attribute) {
        long z = seed + position * 0x9E3779B97F4A7C15L + attribute * 0xC2B2AE3D27D4EB4FL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
