package io.kobot.streams.enrich;

import io.kobot.schema.Engagement;
import io.kobot.streams.ingest.Utf8;
import java.util.Map;

/**
 * An upper bound of an {@link Engagement}'s Avro encoding, computed from its fields without encoding it: each
 * string or map entry costs its UTF-8 bytes plus at most {@value #OVERHEAD_PER_VALUE} (a length varint and a union
 * index), the rest is fixed. The real encoding is never larger, so a bound below the limit proves the record fits.
 */
final class EngagementSize {
    static final int OVERHEAD_PER_VALUE = 6;
    /** Type enum, timestamps, the flag, union indexes, map block counts, the wire-format header. */
    static final int FIXED_BYTES = 64;

    private EngagementSize() {}

    static long upperBound(Engagement engagement) {
        long bytes = FIXED_BYTES;
        bytes += string(engagement.getInteractionId())
                + string(engagement.getKochavaAppId())
                + string(engagement.getFbUserId())
                + string(engagement.getEventName())
                + string(engagement.getEventData())
                + string(engagement.getTrackingUrl())
                + string(engagement.getOriginationIp())
                + string(engagement.getUserAgent());
        for (Map.Entry<String, String> entry : engagement.getDeviceIds().entrySet()) {
            bytes += string(entry.getKey()) + string(entry.getValue());
        }
        return bytes;
    }

    private static long string(String value) {
        return value == null ? 1 : Utf8.length(value) + OVERHEAD_PER_VALUE;
    }
}
