package io.kobot.devstack.sample;

/**
 * One record to publish, with what it stands for.
 *
 * @param interactionId   the valid interaction it carries, or null for a bad record (fuzzed, malformed, hostile)
 * @param kind            what it is, for reports: EVENT, IMPRESSION, CLICK, LINK, a fuzz category, or for a
 *                        malformed record the dead-letter reason code it must get
 * @param timestampMillis the record's timestamp, or null for the producer's (the time of the send)
 */
public record SampleRecord(String interactionId, String kind, byte[] key, byte[] value, Long timestampMillis) {

    public SampleRecord(String interactionId, String kind, byte[] key, byte[] value) {
        this(interactionId, kind, key, value, null);
    }

    /** A record the pipeline must dead-letter, never deliver. */
    public static SampleRecord bad(String kind, byte[] key, byte[] value) {
        return new SampleRecord(null, kind, key, value, null);
    }

    public boolean valid() {
        return interactionId != null;
    }
}
