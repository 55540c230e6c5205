package io.kobot.kochava;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;

/**
 * Keeps personal data (fb_user_id, device ids, tracking URLs carrying them) out of logs and error messages while
 * still letting an operator correlate lines: the same value always masks to the same short hash.
 */
public final class Pii {

    private static final String NONE = "<none>";
    private static final int HASH_BYTES = 4;

    private Pii() {}

    /** A short stable stand-in for {@code value}, e.g. {@code #3f2a9c01}; {@code <none>} for null. */
    public static String mask(String value) {
        if (value == null) return NONE;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return "#" + HexFormat.of().formatHex(digest, 0, HASH_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** Scheme, host and path of {@code url} with any query or fragment replaced by a mask: safe to log. */
    public static String maskUrl(String url) {
        if (url == null) return NONE;
        int cut = indexOfAny(url, '?', '#');
        if (cut < 0) return url;
        return url.substring(0, cut) + "?" + mask(url.substring(cut));
    }

    /** @see #maskUrl(String) */
    public static String maskUrl(URI url) {
        return url == null ? NONE : maskUrl(url.toString());
    }

    /** {@code text} with every occurrence of each of {@code secrets} replaced by its mask. */
    public static String scrub(String text, Collection<String> secrets) {
        if (text == null) return null;
        String result = text;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) result = result.replace(secret, mask(secret));
        }
        return result;
    }

    private static int indexOfAny(String text, char a, char b) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == a || c == b) return i;
        }
        return -1;
    }
}
