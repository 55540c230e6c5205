package io.kobot.devstack.sample;

/**
 * How an interaction shows its identity at the Kochava end, where the request carries no interaction id: each
 * user's receiver reads it back from the event data of a POST or from the URL of a ping.
 */
public interface Tags {
    /** The JSON text of an event's {@code event_data}. */
    String eventData(int id, String interactionId);

    /** The tracking URL of an impression or click. */
    String trackingUrl(int id, String interactionId, InteractionKind kind);
}
