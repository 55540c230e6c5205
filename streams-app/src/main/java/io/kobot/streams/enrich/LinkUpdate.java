package io.kobot.streams.enrich;

import io.kobot.schema.IdentityLink;

/**
 * A user's link as the table takes it, and whether Kochava should be told: only a new or changed link, never an
 * unchanged replay or a tombstone (Kochava has no unlink).
 *
 * @param link    the winning link; null for a tombstone
 * @param forward whether to send it to Kochava
 */
public record LinkUpdate(IdentityLink link, boolean forward) {
    static LinkUpdate deleted() {
        return new LinkUpdate(null, false);
    }
}
