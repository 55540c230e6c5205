package io.kobot.devstack.sample;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The seeded sample of valid interactions and identity links. Every attribute of the record at a position is a hash
 * of the seed and the position, so any range replays exactly the same records without holding them in memory.
 *
 * <p>A share of the positions repeat an earlier interaction (a retried webhook: same id and content, which
 * deduplication must drop): drawn per position ({@link Builder#positions}) or, for an exact count, spread evenly
 * ({@link Builder#unique}). Defaults: 70 % events, 20 % impressions, 10 % clicks; half the impressions and clicks
 * without a user (keyed by their interaction id); half the records Avro, half JSON; 60 % of the users linked.
 */
public final class Interactions {
    private static final int DUPLICATE_REACH = 1_000;

    private final Builder options;
    private final WireEncoder encoder;
    private final int positions;
    private final int duplicates;
    private final int uniqueCount;

    private Interactions(Builder options, WireEncoder encoder) {
        this.options = options;
        this.encoder = encoder;
        if (options.exact) {
            this.duplicates = (int) Math.round(options.count * options.duplicateShare);
            this.positions = options.count + duplicates;
            this.uniqueCount = options.count;
        } else {
            this.duplicates = 0;
            this.positions = options.count;
            int unique = 0;
            for (int position = 0; position < positions; position++) {
                if (!repeats(position)) {
                    unique++;
                }
            }
            this.uniqueCount = unique;
        }
    }

    public static Builder builder(long seed) {
        return new Builder(seed);
    }

    /** Records to publish, copies included. */
    public int positions() {
        return positions;
    }

    /** Distinct interactions: what must come out of deduplication, and reach Kochava once each. */
    public int uniqueCount() {
        return uniqueCount;
    }

    public int users() {
        return options.users;
    }

    public double linkedShare() {
        return options.linkedShare;
    }

    public boolean isOriginal(int position) {
        return !repeats(position);
    }

    /** The id of the interaction published at {@code position}: the position of its first occurrence. */
    public int idAt(int position) {
        int id = position;
        while (repeats(id)) {
            id = id - 1 - (int) Long.remainderUnsigned(hash(id, 1), Math.min(id, DUPLICATE_REACH));
        }
        return id;
    }

    /** The form the record at {@code position} is published in (a copy may differ from its original). */
    public WireForm formAt(int position) {
        if (uniform(position, 5) < options.avroShare) {
            return WireForm.AVRO;
        }
        return uniform(position, 9) < options.isoTextShare ? WireForm.JSON_ISO_TEXT : WireForm.JSON;
    }

    /** The user of interaction {@code id}, or null for an impression or click without one. */
    public Integer userOf(int id) {
        return userOf(id, kindOf(id));
    }

    private Integer userOf(int id, InteractionKind kind) {
        return kind == InteractionKind.EVENT || uniform(id, 3) < 1 - options.userlessShare
                ? (int) Long.remainderUnsigned(hash(id, 4), options.users)
                : null;
    }

    /** Interaction {@code id}, any id at all (also past the positions: ids that no position repeats). */
    public SampleInteraction interaction(int id, long occurredAtMillis) {
        InteractionKind kind = kindOf(id);
        Integer user = userOf(id, kind);
        String interactionId = options.idPrefix + id;
        boolean event = kind == InteractionKind.EVENT;
        return new SampleInteraction(
                id,
                interactionId,
                pick(options.appIds, id, 10),
                kind,
                user == null ? null : userId(user),
                occurredAtMillis,
                event ? pick(options.eventNames, id, 8) : null,
                event ? options.tags.eventData(id, interactionId) : null,
                event ? null : options.tags.trackingUrl(id, interactionId, kind),
                event && options.originationIps ? "203.0.113." + (id % 250 + 1) : null,
                Map.of());
    }

    /** The record at {@code position}. */
    public SampleRecord record(String topic, int position) {
        int id = idAt(position);
        Long timestamp = options.occurredAtBase == null ? System.currentTimeMillis() : null;
        long occurredAt = timestamp != null ? timestamp : options.occurredAtBase + id;
        return record(topic, interaction(id, occurredAt), formAt(position), timestamp);
    }

    /** Interaction {@code id} as published at its first occurrence, whether or not a position has it. */
    public SampleRecord original(String topic, int id) {
        long occurredAt = options.occurredAtBase == null ? System.currentTimeMillis() : options.occurredAtBase + id;
        return record(topic, interaction(id, occurredAt), formAt(id), null);
    }

    /** Every position. */
    public Iterator<SampleRecord> records(String topic) {
        return records(topic, 0, positions);
    }

    /** Positions {@code [from, to)}, each encoded when it is taken, so nothing is held in memory. */
    public Iterator<SampleRecord> records(String topic, int from, int to) {
        return new Iterator<>() {
            private int next = from;

            @Override
            public boolean hasNext() {
                return next < to;
            }

            @Override
            public SampleRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return record(topic, next++);
            }
        };
    }

    public String userId(int user) {
        return options.userPrefix + user;
    }

    public boolean hasLink(int user) {
        return uniform(-1 - user, 6) < options.linkedShare;
    }

    /** The link of {@code user}; {@code version} 0 is the first, a later one links another device. */
    public SampleLink link(int user, long updatedAtMillis, int version) {
        Map<String, String> deviceIds = new LinkedHashMap<>();
        deviceIds.put(
                "kochava_device_id", "KD" + Integer.toHexString(user * 31 + 7) + (version > 0 ? "-v" + version : ""));
        deviceIds.put("adid", "ad-" + user);
        return new SampleLink(userId(user), deviceIds, updatedAtMillis);
    }

    /** The link of {@code user} as the mobile app publishes it, keyed by fb_user_id; half Avro, half JSON. */
    public SampleRecord linkRecord(String topic, int user, long updatedAtMillis, int version) {
        SampleLink link = link(user, updatedAtMillis, version);
        WireForm form = uniform(-1 - user, 7) < 0.5 ? WireForm.AVRO : WireForm.JSON;
        return new SampleRecord(null, "LINK", utf8(link.fbUserId()), encoder.encode(topic, link, form));
    }

    /** How many users have a link. */
    public int linkedCount() {
        int linked = 0;
        for (int user = 0; user < options.users; user++) {
            if (hasLink(user)) {
                linked++;
            }
        }
        return linked;
    }

    /** The first link of every linked user, each encoded when it is taken. */
    public Iterator<SampleRecord> linkRecords(String topic, long updatedAtMillis) {
        return new Iterator<>() {
            private int next = nextLinked(0);

            @Override
            public boolean hasNext() {
                return next < options.users;
            }

            @Override
            public SampleRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                SampleRecord link = linkRecord(topic, next, updatedAtMillis, 0);
                next = nextLinked(next + 1);
                return link;
            }
        };
    }

    private int nextLinked(int from) {
        int user = from;
        while (user < options.users && !hasLink(user)) {
            user++;
        }
        return user;
    }

    /** The deletion of {@code user}'s link: a null value under its key. */
    public SampleRecord tombstone(int user) {
        return new SampleRecord(null, "LINK_TOMBSTONE", utf8(userId(user)), null);
    }

    private SampleRecord record(String topic, SampleInteraction interaction, WireForm form, Long timestamp) {
        return new SampleRecord(
                interaction.interactionId(),
                interaction.kind().name(),
                interaction.key(),
                encoder.encode(topic, interaction, form),
                timestamp);
    }

    private InteractionKind kindOf(int id) {
        double kind = uniform(id, 2);
        return kind < options.eventShare
                ? InteractionKind.EVENT
                : kind < options.eventShare + options.impressionShare
                        ? InteractionKind.IMPRESSION
                        : InteractionKind.CLICK;
    }

    private boolean repeats(int position) {
        if (position <= 0) {
            return false;
        }
        if (options.exact) {
            // Spread evenly: position p is a copy when the running share of copies passes a whole number there.
            return position < positions
                    && (position + 1L) * duplicates / positions > (long) position * duplicates / positions;
        }
        return uniform(position, 0) < options.duplicateShare;
    }

    private String pick(List<String> values, int id, int attribute) {
        return values.size() == 1
                ? values.get(0)
                : values.get((int) Long.remainderUnsigned(hash(id, attribute), values.size()));
    }

    private double uniform(long position, int attribute) {
        return (hash(position, attribute) >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finalizer over seed, position and attribute: cheap, and good enough to look random. */
    private long hash(long position, int attribute) {
        long z = options.seed + position * 0x9E3779B97F4A7C15L + attribute * 0xC2B2AE3D27D4EB4FL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The sample's shape; every setting has a default but the size. */
    public static final class Builder {
        private final long seed;
        private int count = -1;
        private boolean exact;
        private int users = 1_000;
        private double duplicateShare = 0.05;
        private double linkedShare = 0.6;
        private double eventShare = 0.7;
        private double impressionShare = 0.2;
        private double userlessShare = 0.5;
        private double avroShare = 0.5;
        private double isoTextShare;
        private String idPrefix = "i-";
        private String userPrefix = "u";
        private List<String> appIds = List.of("kobot-sample-1a2b3c");
        private List<String> eventNames = List.of("Purchase");
        private boolean originationIps;
        private Long occurredAtBase;
        private Tags tags = new DefaultTags();

        private Builder(long seed) {
            this.seed = seed;
        }

        /** {@code positions} records, each a copy of an earlier one with probability {@link #duplicateShare}. */
        public Builder positions(int positions) {
            this.count = positions;
            this.exact = false;
            return this;
        }

        /** {@code unique} interactions plus exactly {@code round(unique × duplicateShare)} copies. */
        public Builder unique(int unique) {
            this.count = unique;
            this.exact = true;
            return this;
        }

        public Builder users(int users) {
            this.users = users;
            return this;
        }

        public Builder duplicateShare(double share) {
            this.duplicateShare = share;
            return this;
        }

        /** The share of users with an identity link. */
        public Builder linkedShare(double share) {
            this.linkedShare = share;
            return this;
        }

        /** Shares of events and impressions; clicks are the rest. */
        public Builder mix(double events, double impressions) {
            this.eventShare = events;
            this.impressionShare = impressions;
            return this;
        }

        /** The share of impressions and clicks without a user in scope. */
        public Builder userlessShare(double share) {
            this.userlessShare = share;
            return this;
        }

        /** The share of records in Avro; the rest JSON. */
        public Builder avroShare(double share) {
            this.avroShare = share;
            return this;
        }

        /** The share of records in the JSON form with ISO-8601 times and event_data as text. */
        public Builder isoTextShare(double share) {
            this.isoTextShare = share;
            return this;
        }

        /** Interaction ids are this prefix and the id number. */
        public Builder idPrefix(String prefix) {
            this.idPrefix = prefix;
            return this;
        }

        /** fb_user_ids are this prefix and the user number. */
        public Builder userPrefix(String prefix) {
            this.userPrefix = prefix;
            return this;
        }

        public Builder appIds(List<String> appIds) {
            this.appIds = List.copyOf(appIds);
            return this;
        }

        public Builder eventNames(List<String> eventNames) {
            this.eventNames = List.copyOf(eventNames);
            return this;
        }

        /** Events carry an origination IP (from the documentation range 203.0.113.0/24). */
        public Builder originationIps(boolean originationIps) {
            this.originationIps = originationIps;
            return this;
        }

        /**
         * occurred_at of interaction {@code id} is {@code base + id} milliseconds, the same for every copy; without
         * a base it is the time the record is made, which is also its record timestamp.
         */
        public Builder occurredAtBase(long baseMillis) {
            this.occurredAtBase = baseMillis;
            return this;
        }

        public Builder tags(Tags tags) {
            this.tags = Objects.requireNonNull(tags);
            return this;
        }

        public Interactions build(WireEncoder encoder) {
            if (count < 0) {
                throw new IllegalStateException("Set the size: positions(n) or unique(n)");
            }
            if (users <= 0 || appIds.isEmpty() || eventNames.isEmpty()) {
                throw new IllegalStateException("users, app ids and event names must not be empty");
            }
            return new Interactions(this, encoder);
        }
    }

    /** The id in event_data and in the ping URL's query, on a host that resolves nowhere. */
    private static final class DefaultTags implements Tags {
        @Override
        public String eventData(int id, String interactionId) {
            return "{\"ref\":\"" + interactionId + "\"}";
        }

        @Override
        public String trackingUrl(int id, String interactionId, InteractionKind kind) {
            return "https://tracking.example.invalid/" + kind.name().toLowerCase(java.util.Locale.ROOT) + "?ref="
                    + interactionId;
        }
    }
}
