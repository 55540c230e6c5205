package io.kobot.streams.ingest;

/**
 * Machine-readable reasons a record is dead-lettered, written to {@code DeadLetter.reason_code}.
 * Codes are part of the data contract: add new ones, never rename.
 */
public enum RejectionReason {
    /** Bytes that are neither Avro in the Confluent wire format nor a UTF-8 JSON object. */
    UNPARSEABLE(Stage.INGEST),
    /** Starts with the Avro magic byte but cannot be decoded: truncated, unknown schema id, wrong schema. */
    INVALID_AVRO(Stage.INGEST),
    /** A JSON object whose fields have the wrong types (e.g. a number where a string is required). */
    INVALID_FIELD_TYPE(Stage.INGEST),
    /** {@code type} missing or not one of IMPRESSION, CLICK, EVENT. */
    INVALID_TYPE(Stage.VALIDATE),
    MISSING_INTERACTION_ID(Stage.VALIDATE),
    MISSING_KOCHAVA_APP_ID(Stage.VALIDATE),
    MISSING_OCCURRED_AT(Stage.VALIDATE),
    /** An EVENT without {@code fb_user_id}. */
    MISSING_FB_USER_ID(Stage.VALIDATE),
    /** An EVENT without {@code event_name}. */
    MISSING_EVENT_NAME(Stage.VALIDATE),
    /** An IMPRESSION or CLICK without an absolute http(s) {@code tracking_url}. */
    INVALID_TRACKING_URL(Stage.VALIDATE),
    /** {@code occurred_at} later than the record's timestamp plus {@code validation.max-future-skew}. */
    OCCURRED_AT_IN_FUTURE(Stage.VALIDATE),
    /** {@code event_data} that is not valid JSON text. */
    INVALID_EVENT_DATA(Stage.VALIDATE),
    /** {@code event_data} larger than {@code validation.max-event-data-bytes}. */
    EVENT_DATA_TOO_LARGE(Stage.VALIDATE),
    /** With {@code partitioning.rekey=NEVER}: a record whose key is not its fb_user_id (or interaction_id). */
    KEY_MISMATCH(Stage.VALIDATE),
    /** An IdentityLink whose key differs from its {@code fb_user_id}, or without one. */
    INVALID_IDENTITY_LINK(Stage.ENRICH),
    /** Kafka Streams could not deserialize a record (reported by the deserialization exception handler). */
    DESERIALIZATION_ERROR(Stage.INGEST),
    /** An unexpected exception in a processor (reported by the processing exception handler). */
    PROCESSING_ERROR(Stage.PROCESS),
    /** Kochava answered a permanent failure (4xx other than 408/429, or a 2xx whose success is not 1). */
    HTTP_REJECTED(Stage.DELIVER),
    /** Transient failures until {@code delivery.max-retry-time} ran out. */
    RETRIES_EXHAUSTED(Stage.DELIVER),
    /** A delivery outbox entry that could not be read back (corrupt bytes or engagement); kept as stored. */
    OUTBOX_ENTRY_UNREADABLE(Stage.DELIVER);

    /** Where in the pipeline a record was rejected; written to {@code DeadLetter.stage}. */
    public enum Stage {
        INGEST, VALIDATE, ENRICH, PROCESS, DELIVER;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Stage stage;

    RejectionReason(Stage stage) {
        this.stage = stage;
    }

    public Stage stage() {
        return stage;
    }
}
