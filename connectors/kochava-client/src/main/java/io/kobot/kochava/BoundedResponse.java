package io.kobot.kochava;

import java.nio.charset.StandardCharsets;

/**
 * A response as far as it was read: its status, its {@code Retry-After}, and at most the first bytes of its body.
 *
 * @param status     the HTTP status
 * @param retryAfter the {@code Retry-After} header, or null
 * @param body       the body read, at most the cap; empty for a discarded body
 * @param cut        whether the body went on past the cap (it was not read further)
 */
record BoundedResponse(int status, String retryAfter, byte[] body, boolean cut) {

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
