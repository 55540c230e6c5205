package io.kobot.streams.ingest;

/**
 * The size limits of what the pipeline accepts, so that no record it writes (repartition, engagement, outbox,
 * changelog) can be larger than the producer's {@code max.request.size}: every string field, {@code device_ids},
 * the nesting of {@code event_data}, the identity links and the assembled engagement are bounded.
 *
 * @param maxStringBytes        interaction_id, kochava_app_id, fb_user_id, event_name, origination_ip (UTF-8 bytes)
 * @param maxTrackingUrlBytes   tracking_url
 * @param maxUserAgentBytes     user_agent
 * @param maxDeviceIds          entries of an interaction's device_ids
 * @param maxDeviceIdsBytes     keys and values of an interaction's device_ids together
 * @param maxEventDataDepth     nesting of event_data (an object or array counts one level)
 * @param maxLinkDeviceIds      entries of an identity link's device_ids
 * @param maxLinkDeviceIdsBytes keys and values of an identity link's device_ids together
 * @param maxEngagementBytes    the assembled engagement, Avro-encoded (an upper bound of it, see EngagementSize)
 */
public record InputLimits(
        int maxStringBytes,
        int maxTrackingUrlBytes,
        int maxUserAgentBytes,
        int maxDeviceIds,
        int maxDeviceIdsBytes,
        int maxEventDataDepth,
        int maxLinkDeviceIds,
        int maxLinkDeviceIdsBytes,
        int maxEngagementBytes) {
    public static final InputLimits DEFAULTS =
            new InputLimits(1024, 2048, 2048, 32, 4096, 32, 64, 16 * 1024, 256 * 1024);

    /** Avro's per-value overhead at most: a length or count varint of up to 5 bytes, plus a union index. */
    static final int AVRO_OVERHEAD_PER_VALUE = 6;
    /** The fixed part of an interaction or engagement: type, timestamps, flags, union indexes. */
    static final int AVRO_FIXED_BYTES = 64;

    public InputLimits {
        if (maxStringBytes <= 0
                || maxTrackingUrlBytes <= 0
                || maxUserAgentBytes <= 0
                || maxDeviceIds < 0
                || maxDeviceIdsBytes < 0
                || maxEventDataDepth <= 0
                || maxLinkDeviceIds < 0
                || maxLinkDeviceIdsBytes < 0
                || maxEngagementBytes <= 0) {
            throw new IllegalArgumentException(
                    "size limits must be positive (counts and byte sizes of device_ids " + "may be 0)");
        }
    }

    /**
     * The largest Avro encoding a valid interaction can have with {@code maxEventDataBytes}: what a repartition
     * record can weigh, and the least an engagement limit must allow so that a link-less engagement always fits.
     */
    public long largestInteractionBytes(int maxEventDataBytes) {
        return (long) maxEventDataBytes
                + 5L * maxStringBytes
                + maxTrackingUrlBytes
                + maxUserAgentBytes
                + maxDeviceIdsBytes
                + (2L * maxDeviceIds + 8) * AVRO_OVERHEAD_PER_VALUE
                + AVRO_FIXED_BYTES;
    }

    /** The largest Avro encoding a valid identity link can have: what its table's changelog record can weigh. */
    public long largestLinkBytes() {
        // fb_user_id and kochava_app_id (with its union index), then the map.
        return 2L * maxStringBytes
                + maxLinkDeviceIdsBytes
                + (2L * maxLinkDeviceIds + 4) * AVRO_OVERHEAD_PER_VALUE
                + AVRO_FIXED_BYTES;
    }
}
