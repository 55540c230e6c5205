package io.kobot.devstack.sample;

/** The forms a bot server may publish an interaction in; the contract accepts all three. */
public enum WireForm {
    /** Avro in the Confluent wire format: magic byte 0, the schema id, the Avro binary body. */
    AVRO,
    /** JSON with occurred_at in epoch millis and event_data as an embedded object. */
    JSON,
    /** JSON with occurred_at as ISO-8601 text and event_data as JSON text in a string. */
    JSON_ISO_TEXT
}
