package io.kobot.messenger.mapping;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Interaction ids for items without a message id of their own: a prefix naming the kind and a SHA-256 of the
 * fields that identify the item. Meta resends a webhook unchanged, so a resend derives the same id and the
 * pipeline's deduplication drops it.
 */
final class InteractionIds {
    private static final int HEX_CHARS = 40;

    private InteractionIds() {}

    static String derive(String kind, String... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                digest.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0); // a separator no field contains, so ("ab","c") differs from ("a","bc")
            }
            return kind + ":" + HexFormat.of().formatHex(digest.digest()).substring(0, HEX_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
