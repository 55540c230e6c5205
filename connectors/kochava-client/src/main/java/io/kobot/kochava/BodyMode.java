package io.kobot.kochava;

/** How events are put into POST bodies. */
public enum BodyMode {
    /** One event object per POST: what Kochava's {@code /track/json} accepts. */
    OBJECT,
    /** A JSON array of events per POST, for a proxy or a future API that takes batches. */
    ARRAY
}
