package io.kobot.streams.replay;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The headers a replayed record carries, and what dedup makes of them.
 *
 * <p>{@value #REPLAY_OF} names the dead letter a record was replayed from ({@code topic/partition/offset} in the
 * dead-letter topic), {@value #REPLAY_COUNT} how many times it has been replayed. Dedup folds {@value #REPLAY_OF}
 * into its key (see {@link #dedupSuffix(Headers)}), so:
 * <ul>
 *   <li>the first replay of a dead letter is new: its key differs from the original's, which dedup has seen;</li>
 *   <li>replaying the same dead letter again (a second run, another replay name, a replay resumed after a crash
 *       between send and commit) gives the same key: a duplicate, dropped, within {@code dedup.retention};</li>
 *   <li>a replayed record that fails again gets a new dead letter, hence new coordinates: replaying that one is
 *       new again, as it should be.</li>
 * </ul>
 *
 * <p>Headers come from producers and are untrusted. A forged {@value #REPLAY_OF} only gives an interaction a dedup
 * key of its own per distinct value: the producer can get the same interaction delivered once more per forged
 * value, which is exactly what it can already do by writing a new {@code interaction_id}; and it can pre-empt a
 * genuine replay only by writing that interaction first, which it can already do without the header too. It
 * cannot make dedup forget or skip anything for records without the header. So the marker needs no signature.
 */
public final class ReplayMarker {
    public static final String REPLAY_OF = "kobot.replay.of";
    public static final String REPLAY_COUNT = "kobot.replay.count";
    /** Longer values are cut: the marker must not let a producer inflate the dedup store. */
    private static final int MAX_COORDINATES_LENGTH = 300;

    private ReplayMarker() {}

    /** The dead letter's coordinates, as written in {@value #REPLAY_OF}. */
    public static String coordinates(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    /** The replay marker's contribution to the dedup key: empty for a record that is not a replay. */
    public static String dedupSuffix(Headers headers) {
        String of = replayOf(headers);
        return of == null ? "" : "\u0000replay:" + of;
    }

    /** The coordinates of the dead letter this record was replayed from, or null. */
    public static String replayOf(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(REPLAY_OF);
        if (header == null || header.value() == null) {
            return null;
        }
        String value = new String(header.value(), StandardCharsets.UTF_8);
        return value.length() > MAX_COORDINATES_LENGTH ? value.substring(0, MAX_COORDINATES_LENGTH) : value;
    }

    /** How many times this record has been replayed: 0 unless it carries a valid {@value #REPLAY_COUNT}. */
    public static int replayCount(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(REPLAY_COUNT);
        if (header == null || header.value() == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(new String(header.value(), StandardCharsets.UTF_8).trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Marks a record replayed from the dead letter at {@code coordinates}, for the {@code count}-th time. */
    public static void mark(Headers headers, String coordinates, int count) {
        headers.remove(REPLAY_OF);
        headers.remove(REPLAY_COUNT);
        headers.add(REPLAY_OF, coordinates.getBytes(StandardCharsets.UTF_8));
        headers.add(REPLAY_COUNT, Integer.toString(count).getBytes(StandardCharsets.UTF_8));
    }
}
