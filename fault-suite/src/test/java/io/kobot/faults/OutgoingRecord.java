package io.kobot.faults;

/**
 * One record to publish to the interactions topic.
 *
 * @param interactionId the valid interaction it carries, or null for a bad (fuzzed) record
 * @param kind          what it is, for the report: EVENT, IMPRESSION, CLICK or the fuzz category
 */
record OutgoingRecord(String interactionId, String kind, byte[] key, byte[] value) {
    boolean valid() {
        return interactionId != null;
    }
}
