package io.kobot.devstack.kochava;

import java.util.Map;

/**
 * One IdentityLink request the stand-in accepted, in the shape Kochava documents: {@code {"kochava_app_id": ...,
 * "device_id": {...}, "data": {...}}}.
 *
 * @param appId            {@code kochava_app_id}
 * @param deviceIds        {@code device_id}, by identifier name
 * @param data             {@code data}, the identities linked (e.g. {@code fb_userid})
 * @param receivedAtMillis when it arrived, epoch milliseconds
 */
public record ReceivedIdentityLink(
        String appId, Map<String, String> deviceIds, Map<String, String> data, long receivedAtMillis) {
    public ReceivedIdentityLink {
        deviceIds = Map.copyOf(deviceIds);
        data = Map.copyOf(data);
    }
}
