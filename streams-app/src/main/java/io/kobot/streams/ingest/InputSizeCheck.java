package io.kobot.streams.ingest;

import io.kobot.schema.BotInteraction;
import io.kobot.schema.IdentityLink;
import io.kobot.schema.deadletter.RejectionReason;
import java.util.Map;

/**
 * Applies {@link InputLimits} to interactions and identity links. Messages name the field and the sizes, never
 * the value, which may be personal.
 */
public final class InputSizeCheck {
    private final InputLimits limits;

    public InputSizeCheck(InputLimits limits) {
        this.limits = limits;
    }

    public InputLimits limits() {
        return limits;
    }

    /** Every string field and {@code device_ids} of an interaction; {@code event_data} is {@link EventData}'s. */
    public void checkInteraction(BotInteraction interaction) throws InvalidRecordException {
        field("interaction_id", interaction.getInteractionId(), limits.maxStringBytes());
        field("kochava_app_id", interaction.getKochavaAppId(), limits.maxStringBytes());
        field("fb_user_id", interaction.getFbUserId(), limits.maxStringBytes());
        field("event_name", interaction.getEventName(), limits.maxStringBytes());
        field("origination_ip", interaction.getOriginationIp(), limits.maxStringBytes());
        field("tracking_url", interaction.getTrackingUrl(), limits.maxTrackingUrlBytes());
        field("user_agent", interaction.getUserAgent(), limits.maxUserAgentBytes());
        Map<String, String> deviceIds = interaction.getDeviceIds();
        if (deviceIds.size() > limits.maxDeviceIds()) {
            throw new InvalidRecordException(
                    RejectionReason.DEVICE_IDS_TOO_MANY,
                    "device_ids has " + deviceIds.size() + " entries, more than the limit of " + limits.maxDeviceIds());
        }
        long bytes = bytesOf(deviceIds);
        if (bytes > limits.maxDeviceIdsBytes()) {
            throw new InvalidRecordException(
                    RejectionReason.DEVICE_IDS_TOO_LARGE,
                    "device_ids keys and values are " + bytes + " bytes, more than the limit of "
                            + limits.maxDeviceIdsBytes());
        }
    }

    /** A link's {@code fb_user_id}, {@code kochava_app_id} and {@code device_ids}: a link adds its identifiers to every engagement. */
    public void checkLink(IdentityLink link) throws InvalidRecordException {
        int userBytes = Utf8.length(link.getFbUserId());
        if (userBytes > limits.maxStringBytes()) {
            throw new InvalidRecordException(
                    RejectionReason.IDENTITY_LINK_TOO_LARGE,
                    "fb_user_id is " + userBytes + " bytes, more than the limit of " + limits.maxStringBytes());
        }
        int appBytes = Utf8.length(link.getKochavaAppId());
        if (appBytes > limits.maxStringBytes()) {
            throw new InvalidRecordException(
                    RejectionReason.IDENTITY_LINK_TOO_LARGE,
                    "kochava_app_id is " + appBytes + " bytes, more than the limit of " + limits.maxStringBytes());
        }
        Map<String, String> deviceIds = link.getDeviceIds();
        if (deviceIds.size() > limits.maxLinkDeviceIds()) {
            throw new InvalidRecordException(
                    RejectionReason.IDENTITY_LINK_TOO_LARGE,
                    "device_ids has " + deviceIds.size() + " entries, more than the link limit of "
                            + limits.maxLinkDeviceIds());
        }
        long bytes = bytesOf(deviceIds);
        if (bytes > limits.maxLinkDeviceIdsBytes()) {
            throw new InvalidRecordException(
                    RejectionReason.IDENTITY_LINK_TOO_LARGE,
                    "device_ids keys and values " + "are " + bytes + " bytes, more than the link limit of "
                            + limits.maxLinkDeviceIdsBytes());
        }
    }

    private static void field(String name, String value, int max) throws InvalidRecordException {
        int bytes = Utf8.length(value);
        if (bytes > max) {
            throw new InvalidRecordException(
                    RejectionReason.FIELD_TOO_LONG, name + " is " + bytes + " bytes, more than the limit of " + max);
        }
    }

    private static long bytesOf(Map<String, String> map) {
        long bytes = 0;
        for (Map.Entry<String, String> entry : map.entrySet()) {
            bytes += Utf8.length(entry.getKey()) + Utf8.length(entry.getValue());
        }
        return bytes;
    }
}
