package io.kobot.kochava;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One HTTP request to Kochava, ready to send: immutable, and safe to log through {@link #toString()}, which leaves
 * out the body and masks the query.
 *
 * @param kind           what the request stands for; decides the method and how its response is judged
 * @param uri            where it goes
 * @param body           the JSON body of a POST; null for a GET
 * @param appId          the Kochava app it is sent for (the rate limit's key)
 * @param personalValues values (fb_user_id) to scrub from error texts that may echo the request
 */
public record KochavaRequest(Kind kind, URI uri, String body, String appId, List<String> personalValues) {

    public enum Kind {
        /** One event, or an array of them in {@link BodyMode#ARRAY}: POST, success needs {@code success: 1}. */
        EVENT,
        /** An {@code identityLink} action: POST, success needs {@code success: 1}. */
        IDENTITY_LINK,
        /** An impression or click tracking URL: GET, any 2xx or 3xx is success. */
        PING
    }

    public KochavaRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(appId, "appId");
        if ((kind == Kind.PING) != (body == null))
            throw new IllegalArgumentException("A PING has no body, a POST needs one");
        personalValues = List.copyOf(personalValues);
    }

    public String method() {
        return kind == Kind.PING ? "GET" : "POST";
    }

    /** Whether success needs a {@code success} field of 1 in the JSON response, besides a 2xx status. */
    public boolean expectsSuccessField() {
        return kind != Kind.PING;
    }

    @Override
    public String toString() {
        return kind + " " + method() + " " + Pii.maskUrl(uri) + " (app " + appId + ")";
    }
}
