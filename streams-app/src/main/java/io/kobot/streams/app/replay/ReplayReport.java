package io.kobot.streams.app.replay;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/** What a replay took, left out and could not replay; printed as progress and as the final summary. */
public final class ReplayReport {
    private final Map<String, Map<String, Long>> taken = new TreeMap<>();
    private final Map<String, Long> excluded = new TreeMap<>();
    private final Map<String, Long> notReplayable = new TreeMap<>();
    private long scanned;
    private long takenTotal;

    void scanned() {
        scanned++;
    }

    void taken(String reason, String appId) {
        taken.computeIfAbsent(reason, r -> new TreeMap<>()).merge(appId == null ? "(unknown)" : appId, 1L, Long::sum);
        takenTotal++;
    }

    void excluded(String why) {
        excluded.merge(why, 1L, Long::sum);
    }

    void notReplayable(String why) {
        notReplayable.merge(why, 1L, Long::sum);
    }

    public long scannedCount() {
        return scanned;
    }

    /** Dead letters replayed (or, in a dry run, that would be). */
    public long takenCount() {
        return takenTotal;
    }

    /** Taken, by reason code and app id. */
    public Map<String, Map<String, Long>> takenByReasonAndApp() {
        return taken;
    }

    public long notReplayableCount() {
        return notReplayable.values().stream().mapToLong(Long::longValue).sum();
    }

    void printTable(PrintWriter out, String verb) {
        out.printf("%-24s %-32s %10s%n", "reason", "kochava_app_id", verb);
        taken.forEach(
                (reason, byApp) -> byApp.forEach((app, count) -> out.printf("%-24s %-32s %10d%n", reason, app, count)));
        out.printf("%-24s %-32s %10d%n", "total", "", takenTotal);
        excluded.forEach((why, count) -> out.printf("left out: %d (%s)%n", count, why));
        notReplayable.forEach((why, count) -> out.printf("not replayable: %d (%s)%n", count, why));
    }
}
