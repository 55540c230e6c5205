package io.kobot.streams.metrics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what each stage did, by stage and outcome (and by reason for dead letters), for one application
 * instance. Shared by all stream threads (LongAdder: cheap under contention); the main job binds it to
 * Micrometer and the demo prints it. Counters only grow; names are stable and documented in docs/operations.md.
 */
public final class PipelineMetrics {
    /** The key under which an instance travels in the Streams config, to reach the exception handlers. */
    public static final String CONFIG_KEY = "kobot.pipeline.metrics";

    public static final String RECEIVED = "ingest.received";
    public static final String ACCEPTED = "ingest.accepted";
    public static final String DUPLICATES_DROPPED = "dedup.duplicates-dropped";
    public static final String UNIQUE = "dedup.unique";
    public static final String ENRICHED_WITH_LINK = "enrich.linked";
    public static final String ENRICHED_WITHOUT_LINK = "enrich.unlinked";
    public static final String WITHOUT_USER = "enrich.no-fb-user-id";
    public static final String LINK_UPDATES = "links.updates";
    public static final String LINK_DELETES = "links.deletes";
    public static final String LINK_STALE_IGNORED = "links.stale-ignored";
    public static final String DEAD_LETTER_PREFIX = "dead-letter.";
    /** Followed by a topic: records keyed by their join key found in another partition than the key belongs in. */
    public static final String MISPLACED_PREFIX = "misplaced.";

    /**
     * Every stage counter above: exported from start-up at 0, so that dashboards and alerts see a series before the
     * first count. A new counter belongs here too. (Dead-letter counters come from the reason codes.)
     */
    public static final List<String> STAGE_COUNTERS = List.of(
            RECEIVED,
            ACCEPTED,
            DUPLICATES_DROPPED,
            UNIQUE,
            ENRICHED_WITH_LINK,
            ENRICHED_WITHOUT_LINK,
            WITHOUT_USER,
            LINK_UPDATES,
            LINK_DELETES,
            LINK_STALE_IGNORED);

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    public void increment(String name) {
        LongAdder counter = counters.get(name); // lock-free; computeIfAbsent may lock the bin even when present
        (counter != null ? counter : counters.computeIfAbsent(name, n -> new LongAdder())).increment();
    }

    public void deadLettered(String reasonCode) {
        increment(DEAD_LETTER_PREFIX + reasonCode);
    }

    public void countMisplaced(String topic) {
        increment(MISPLACED_PREFIX + topic);
    }

    public long misplaced(String topic) {
        return count(MISPLACED_PREFIX + topic);
    }

    public long count(String name) {
        LongAdder adder = counters.get(name);
        return adder == null ? 0 : adder.sum();
    }

    public long deadLettered() {
        return counters.entrySet().stream()
                .filter(e -> e.getKey().startsWith(DEAD_LETTER_PREFIX))
                .mapToLong(e -> e.getValue().sum())
                .sum();
    }

    /** A sorted copy of every counter, for summaries and meter binding. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counters.forEach((name, adder) -> copy.put(name, adder.sum()));
        return copy;
    }
}
