package io.kobot.messenger.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The verify token of the subscription handshake, compared in constant time. */
public final class VerifyToken {
    /** Meta's challenges are short; a longer one is refused rather than reflected. */
    static final int MAX_CHALLENGE_LENGTH = 512;

    private final byte[] expected;

    public VerifyToken(String token) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("the verify token is required");
        }
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The challenge to echo for {@code hub.mode=subscribe} with the right {@code hub.verify_token}; null otherwise.
     */
    public String challenge(String mode, String token, String challenge) {
        byte[] given = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
        boolean tokenMatches = MessageDigest.isEqual(expected, given);
        if (!"subscribe".equals(mode)
                || !tokenMatches
                || challenge == null
                || challenge.isEmpty()
                || challenge.length() > MAX_CHALLENGE_LENGTH) {
            return null;
        }
        return challenge;
    }
}
