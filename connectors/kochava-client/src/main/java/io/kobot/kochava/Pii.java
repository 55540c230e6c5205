package io.kobot.kochava;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps personal data (fb_user_id, device ids, tracking URLs carrying them) out of logs and error messages while
 * still letting an operator correlate lines: the same value always masks to the same short keyed hash within a
 * deployment. The key ({@value #MASK_KEY_SETTING}, a secret) makes masks unlinkable across deployments and
 * impossible to reverse by hashing candidate ids; when it is not set, a random key is drawn per process.
 */
public final class Pii {

    /** The setting that holds the mask key; the streams app and the Connect sink both take it. */
    public static final String MASK_KEY_SETTING = "logging.pii-mask-key";

    private static final String NONE = "<none>";
    private static final int HASH_BYTES = 6;
    private static final String HMAC = "HmacSHA256";

    private static volatile SecretKeySpec key = randomKey();

    private Pii() {}

    /**
     * Sets the mask key for this process, from {@value #MASK_KEY_SETTING}; null or blank draws a random one.
     * Masks made before do not match masks made after.
     */
    public static void useKey(String secret) {
        key = secret == null || secret.isBlank()
                ? randomKey()
                : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
    }

    /** A short stable stand-in for {@code value}, e.g. {@code #3f2a9c01b7e4}; {@code <none>} for null. */
    public static String mask(String value) {
        if (value == null) return NONE;
        return "#" + HexFormat.of().formatHex(hmac(key, value), 0, HASH_BYTES);
    }

    static byte[] hmac(SecretKeySpec key, String value) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    private static SecretKeySpec randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return new SecretKeySpec(bytes, HMAC);
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
