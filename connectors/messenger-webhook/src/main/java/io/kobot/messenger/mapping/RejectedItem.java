package io.kobot.messenger.mapping;

/**
 * A signed webhook item the intake could not map, kept for the dead-letter topic: Meta sent it, so it is either a
 * shape the mapping does not know yet or a mistake worth seeing, never something to drop unseen.
 *
 * @param why          what was wrong, in the intake's own words (never quotes the item)
 * @param pageId       the page it came for, when known
 * @param kochavaAppId that page's Kochava app, when known
 * @param item         the item (or the entry, when the entry itself is malformed) as JSON
 */
public record RejectedItem(String why, String pageId, String kochavaAppId, byte[] item) {}
