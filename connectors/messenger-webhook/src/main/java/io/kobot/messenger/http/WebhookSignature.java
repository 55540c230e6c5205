package io.kobot.messenger.http;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks {@code X-Hub-Signature-256: sha256=<hex>}, the HMAC-SHA256 of the raw body keyed by the app secret, as
 * Meta signs every webhook POST. The comparison takes the same time wherever the first differing byte is.
 */
public final class WebhookSignature {
    public static final String HEADER = "X-Hub-Signature-256";

    private static final String PREFIX = "sha256=";
    private static final String HMAC = "HmacSHA256";
    private static final int HEX_LENGTH = 64;

    /** Why a signature was refused: the {@code reason} label of the signature-failure metric. */
    public enum Verdict {
        VALID("valid"),
        MISSING("missing"),
        WRONG_ALGORITHM("wrong-algorithm"),
        MISMATCH("mismatch");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final SecretKeySpec key;

    public WebhookSignature(String appSecret) {
        if (appSecret == null || appSecret.isEmpty()) {
            throw new IllegalArgumentException("the app secret is required");
        }
        this.key = new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), HMAC);
    }

    /** {@code sha256=<hex>} for {@code body}: what Meta would send. */
    public String sign(byte[] body) {
        return PREFIX + HexFormat.of().formatHex(hmac(body));
    }

    public Verdict verify(byte[] body, String header) {
        if (header == null || header.isBlank()) {
            return Verdict.MISSING;
        }
        String value = header.trim();
        if (!value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Verdict.WRONG_ALGORITHM;
        }
        String hex = value.substring(PREFIX.length());
        byte[] given;
        try {
            given = hex.length() == HEX_LENGTH ? HexFormat.of().parseHex(hex) : new byte[0];
        } catch (IllegalArgumentException e) {
            given = new byte[0];
        }
        // Computed and compared even for a malformed value, so timing says nothing about which check failed.
        return MessageDigest.isEqual(hmac(body), given) ? Verdict.VALID : Verdict.MISMATCH;
    }

    private byte[] hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }
}
