package io.kobot.streams.deadletter;

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
    /**
     * Kochava answered a permanent failure (4xx other than 408/429, or a 2xx whose success is not 1), or the request
     * was refused before it left (a tracking host or an address not allowed, a host that does not resolve); the
     * message says which.
     */
    HTTP_REJECTED(Stage.DELIVER),
    /** Transient failures until {@code delivery.max-retry-time} ran out. */
    RETRIES_EXHAUSTED(Stage.DELIVER),
    /**
     * With {@code partitioning.rekey=NEVER}: a record keyed by its join key in another partition than Kafka
     * Streams places that key (murmur2), e.g. from a librdkafka client's default CRC32 partitioner.
     */
    MISPLACED_PARTITION(Stage.VALIDATE),
    /** A Kafka timestamp later than the wall clock plus {@code validation.max-clock-skew} when the record was read. */
    TIMESTAMP_IN_FUTURE(Stage.INGEST),
    /**
     * Magic byte 0 and a schema id that resolves to no usable Avro schema: a JSON or Protobuf schema, one that does
     * not parse, or an id the registry refuses with a 4xx other than 401/403/404/429.
     */
    UNSUPPORTED_SCHEMA(Stage.INGEST),
    /** A value of zero bytes. */
    EMPTY_VALUE(Stage.INGEST),
    /** A null value (a tombstone), which means nothing on an interactions topic. */
    NULL_VALUE(Stage.INGEST),
    /** {@code event_data} (or the JSON record holding it) nested deeper than {@code validation.max-event-data-depth}. */
    EVENT_DATA_TOO_DEEP(Stage.VALIDATE),
    /** A string field longer than its limit ({@code validation.max-string-bytes} and the like); the message names it. */
    FIELD_TOO_LONG(Stage.VALIDATE),
    /** {@code device_ids} with more entries than {@code validation.max-device-ids}. */
    DEVICE_IDS_TOO_MANY(Stage.VALIDATE),
    /** {@code device_ids} whose keys and values exceed {@code validation.max-device-ids-bytes} together. */
    DEVICE_IDS_TOO_LARGE(Stage.VALIDATE),
    /** The assembled engagement is larger than {@code validation.max-engagement-bytes}: it is never written. */
    ENGAGEMENT_TOO_LARGE(Stage.ENRICH),
    /** An IdentityLink whose {@code device_ids}, {@code fb_user_id} or {@code kochava_app_id} exceed the link limits. */
    IDENTITY_LINK_TOO_LARGE(Stage.ENRICH),
    /** An IMPRESSION or CLICK whose {@code tracking_url} host is not in {@code kochava.ping.allowed-hosts}. */
    TRACKING_HOST_NOT_ALLOWED(Stage.VALIDATE),
    /** A delivery outbox entry that could not be read back (corrupt bytes or engagement); kept as stored. */
    OUTBOX_ENTRY_UNREADABLE(Stage.DELIVER),
    /**
     * An IdentityLink queued for Kochava while {@code kochava.identity-link.forward} was true, found in the outbox
     * after a restart with it false (or without an app to send it for): not sent; replayable once forwarding is on.
     */
    IDENTITY_LINK_NOT_FORWARDED(Stage.DELIVER);

    /** Where in the pipeline a record was rejected; written to {@code DeadLetter.stage}. */
    public enum Stage {
        INGEST,
        VALIDATE,
        ENRICH,
        PROCESS,
        DELIVER;

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
