package io.kobot.devstack.kochava;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One request as the stand-in received it, with the status it was answered.
 *
 * @param query the raw query string, or null
 * @param body the body as text ({@code ""} when there was none)
 * @param json the body parsed, when it was JSON; null otherwise
 * @param receivedAtMillis when it arrived, epoch milliseconds
 */
public record ReceivedRequest(
        String method, String path, String query, String body, JsonNode json, int status, long receivedAtMillis) {

    /** The path with its query, as the request line had it. */
    public String uri() {
        return query == null ? path : path + "?" + query;
    }
}
