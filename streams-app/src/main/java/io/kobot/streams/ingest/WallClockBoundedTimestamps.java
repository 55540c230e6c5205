package io.kobot.streams.ingest;

import io.kobot.schema.deadletter.RejectionReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.FailOnInvalidTimestamp;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The timestamp extractor of the interactions topic: a record timestamp later than the wall clock plus
 * {@code validation.max-clock-skew} never becomes stream time. Such a timestamp would move the dedup store's time
 * far ahead: every later id would land behind its retention, be dropped as expired, and never be found, so dedup
 * would be off for that task (after a restore too).
 *
 * <p>Rule: such a record's timestamp is clamped to the wall clock at the moment it is read, and its original
 * timestamp is put in the header {@value #ORIGINAL_TIMESTAMP_HEADER}, from which the ingest processor dead-letters it
 * ({@link RejectionReason#TIMESTAMP_IN_FUTURE}): it is neither delivered silently nor allowed near the dedup store.
 * The header is removed from every record first, so a producer cannot forge it. Timestamps before the wall clock
 * are kept as they are. The verdict depends on when a record is read: a record replayed later may pass.
 */
public final class WallClockBoundedTimestamps implements TimestampExtractor {
    public static final String ORIGINAL_TIMESTAMP_HEADER = "kobot.original-timestamp";

    private final TimestampExtractor recordTimestamps = new FailOnInvalidTimestamp();
    private final long maxSkewMs;
    private final LongSupplier wallClock;

    public WallClockBoundedTimestamps(Duration maxSkew, LongSupplier wallClock) {
        this.maxSkewMs = maxSkew.toMillis();
        this.wallClock = wallClock;
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        record.headers().remove(ORIGINAL_TIMESTAMP_HEADER);
        long timestamp = recordTimestamps.extract(record, partitionTime);
        long now = wallClock.getAsLong();
        if (timestamp - now <= maxSkewMs) {
            return timestamp;
        }
        record.headers().add(ORIGINAL_TIMESTAMP_HEADER, Long.toString(timestamp).getBytes(StandardCharsets.UTF_8));
        return now;
    }

    /** The original timestamp of a record whose timestamp was clamped, if it was. */
    static OptionalLong clampedFrom(Headers headers) {
        Header header = headers.lastHeader(ORIGINAL_TIMESTAMP_HEADER);
        if (header == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(new String(header.value(), StandardCharsets.UTF_8)));
        } catch (NumberFormatException e) {
            return OptionalLong.of(Long.MAX_VALUE); // only the extractor writes it; never the case
        }
    }

    /** @throws InvalidRecordException when the record's timestamp was clamped */
    static void requireNotClamped(Headers headers, long clampedTimestamp) throws InvalidRecordException {
        OptionalLong original = clampedFrom(headers);
        if (original.isPresent()) {
            throw new InvalidRecordException(
                    RejectionReason.TIMESTAMP_IN_FUTURE,
                    "the record timestamp was "
                            + Duration.ofMillis(original.getAsLong() - clampedTimestamp)
                            + " ahead of the wall clock when it "
                            + "was read, more than validation.max-clock-skew allows");
        }
    }
}
