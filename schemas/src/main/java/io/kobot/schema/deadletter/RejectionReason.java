package io.kobot.schema.deadletter;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every machine-readable reason a record is dead-lettered, written to {@code DeadLetter.reason_code} by the pipeline
 * and by the Messenger intake: the one list of the data contract (docs/contract.md lists the same, a test checks).
 * Codes are part of the data contract: add new ones at the end, never rename or remove one. A code declared with
 * its stage only is {@linkplain Replay#WHEN_NAMED replayed when named}.
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
    PROCESSING_ERROR(Stage.PROCESS, Replay.BY_DEFAULT),
    /**
     * Kochava answered a permanent failure (4xx other than 408/429, or a 2xx whose success is not 1), or the request
     * was refused before it left (a tracking host or an address not allowed, a host that does not resolve); the
     * message says which.
     */
    HTTP_REJECTED(Stage.DELIVER),
    /** Transient failures until {@code delivery.max-retry-time} ran out. */
    RETRIES_EXHAUSTED(Stage.DELIVER, Replay.BY_DEFAULT),
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
    IDENTITY_LINK_NOT_FORWARDED(Stage.DELIVER),
    /**
     * Written by the Messenger intake, not the pipeline: a signed webhook item it could not map. It was never on a
     * topic, so it cannot be replayed.
     */
    WEBHOOK_ITEM_MALFORMED(Stage.INTAKE, Replay.NEVER);

    /** Where a record was rejected; written, as its {@link #label()}, to {@code DeadLetter.stage}. */
    public enum Stage {
        INGEST,
        VALIDATE,
        ENRICH,
        PROCESS,
        DELIVER,
        /** The Messenger intake, before the item became a record on any topic: not a stage of the pipeline. */
        INTAKE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean inPipeline() {
            return this != INTAKE;
        }
    }

    /** Whether {@code replay-dead-letters} sends dead letters of a code through the pipeline again. */
    public enum Replay {
        /** Replayed even without {@code --reason}: the record was not at fault (an outage, a bug of the pipeline). */
        BY_DEFAULT,
        /** Replayed only when named with {@code --reason}: bad input, e.g. once a rule or a producer was fixed. */
        WHEN_NAMED,
        /** Never replayed: the dead letter holds no record of a topic the pipeline reads. */
        NEVER
    }

    private final Stage stage;
    private final Replay replay;

    RejectionReason(Stage stage) {
        this(stage, Replay.WHEN_NAMED);
    }

    RejectionReason(Stage stage, Replay replay) {
        this.stage = stage;
        this.replay = replay;
    }

    public Stage stage() {
        return stage;
    }

    public Replay replay() {
        return replay;
    }

    /** The code whose name is {@code code} exactly, if there is one. */
    public static Optional<RejectionReason> of(String code) {
        return Arrays.stream(values())
                .filter(reason -> reason.name().equals(code))
                .findFirst();
    }

    /** The codes the pipeline writes, in declaration order (the intake's are left out). */
    public static List<RejectionReason> ofPipeline() {
        return Arrays.stream(values())
                .filter(reason -> reason.stage.inPipeline())
                .toList();
    }

    /** The codes with this replay rule, in declaration order. */
    public static List<RejectionReason> replayed(Replay replay) {
        return Arrays.stream(values()).filter(reason -> reason.replay == replay).toList();
    }
}
