package io.kobot.bench;

import java.io.PrintStream;
import java.util.Locale;

/** Prints the figures as they come, then the targets, in one plain-text format. */
final class Report {
    private static final double MIB = 1024 * 1024;

    private final PrintStream out;
    private int misses;

    Report(PrintStream out) {
        this.out = out;
    }

    void line(String format, Object... args) {
        out.println(String.format(Locale.ROOT, format, args));
        out.flush();
    }

    void rate(String label, String unit, Throughput throughput, String detail) {
        line(
                "%-44s %,11d %s in %7.2f s = %,9.0f %s/s   %s",
                label, throughput.count(), unit, throughput.seconds(), throughput.perSecond(), unit, detail);
    }

    /** One target: {@code value} against {@code bound}, at least or at most. */
    void target(String name, double value, String comparison, double bound, String unit) {
        boolean pass = comparison.equals(">=") ? value >= bound : value <= bound;
        if (!pass) {
            misses++;
        }
        String gap = pass
                ? ""
                : String.format(
                        Locale.ROOT,
                        "   (gap %.2f%s, %.0f %% of the target)",
                        Math.abs(bound - value),
                        unit,
                        comparison.equals(">=") ? 100 * value / bound : 100 * bound / value);
        line(
                "  %-26s %10.2f%s %s %.2f%s   %s%s",
                name, value, unit, comparison.equals(">=") ? "≥" : "≤", bound, unit, pass ? "PASS" : "MISS", gap);
    }

    int misses() {
        return misses;
    }

    static double mib(long bytes) {
        return bytes / MIB;
    }
}
