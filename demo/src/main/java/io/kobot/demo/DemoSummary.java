package io.kobot.demo;

import io.kobot.devstack.kochava.ReceivedRequest;
import io.kobot.streams.metrics.PipelineMetrics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints a demo run's summary table and a few of the exact payloads the receiver got. */
final class DemoSummary {
    private static final int PAYLOADS_SHOWN = 3;

    private final DemoReport report;
    private final PrintWriter out;

    DemoSummary(DemoReport report, PrintWriter out) {
        this.report = report;
        this.out = out;
    }

    void print() {
        DemoInput.Expected expected = report.expected();
        out.println();
        out.println("Summary (ids in the sample are synthetic)");
        row("received on the interactions topic", report.counter(PipelineMetrics.RECEIVED), expected.received());
        row("duplicates dropped", report.counter(PipelineMetrics.DUPLICATES_DROPPED), expected.duplicates());
        row("engagements (read back, committed)", report.engagementsRead(), expected.engagements());
        row("  enriched with an identity link", report.counter(PipelineMetrics.ENRICHED_WITH_LINK), expected.linked());
        row(
                "  enriched, no link for the user",
                report.counter(PipelineMetrics.ENRICHED_WITHOUT_LINK),
                expected.unlinked());
        row("  without fb_user_id (no join)", report.counter(PipelineMetrics.WITHOUT_USER), expected.withoutUser());
        row("dead-lettered (read back)", sum(report), expected.deadLetters());
        expected.deadLettersByReason()
                .forEach((reason, count) ->
                        row("  " + reason, report.deadLettersRead().getOrDefault(reason, 0), count));
        deliveryRows();
        out.printf("  %-40s %s%n", "latency ingested_at → bot.engagements", percentiles(report.pipelineLatencies()));
        out.printf("  %-40s %.1f s%n", "wall time", report.wallMillis() / 1000.0);
        out.println();
        printPayloads();
        out.println(report.complete() ? "Demo complete." : "Demo INCOMPLETE: see the numbers above.");
        out.flush();
    }

    private void deliveryRows() {
        DemoInput.Expected expected = report.expected();
        if (!report.delivering()) {
            String why = "(no in-topology delivery sink is wired yet: nothing sent)";
            out.printf("  %-40s %8d  %s%n", "POSTs received by the Kochava receiver", report.posts(), why);
            out.printf("  %-40s %8d  %s%n", "pings received by the Kochava receiver", report.pings(), why);
            return;
        }
        if (report.receiver().isEmpty() && expected.events() + expected.pings() > 0) {
            out.printf("  %-40s %s%n", "POSTs and pings", "sent to the external endpoint (not counted here)");
            return;
        }
        row("POSTs received by the Kochava receiver", report.posts(), expected.events());
        row("pings received by the Kochava receiver", report.pings(), expected.pings());
        out.printf("  %-40s %s%n", "requests per second", requestsPerSecond());
        out.printf("  %-40s %s%n", "latency ingested_at → receipt", percentiles(report.deliveryLatencies()));
    }

    private String requestsPerSecond() {
        List<ReceivedRequest> requests = report.receiver();
        if (requests.size() < 2) {
            return "n/a";
        }
        long first = requests.stream()
                .mapToLong(ReceivedRequest::receivedAtMillis)
                .min()
                .orElseThrow();
        long last = requests.stream()
                .mapToLong(ReceivedRequest::receivedAtMillis)
                .max()
                .orElseThrow();
        return String.format(Locale.ROOT, "%.0f", requests.size() * 1000.0 / Math.max(1, last - first));
    }

    private void printPayloads() {
        List<ReceivedRequest> requests = report.receiver();
        if (requests.isEmpty()) {
            out.println("Payloads the receiver got: none.");
            return;
        }
        out.println("Payloads the receiver got (first " + Math.min(PAYLOADS_SHOWN, requests.size())
                + "; synthetic ids, printed as they are):");
        List<ReceivedRequest> shown = new ArrayList<>();
        requests.stream().filter(r -> r.method().equals("POST")).limit(2).forEach(shown::add);
        requests.stream()
                .filter(r -> !r.method().equals("POST"))
                .limit(PAYLOADS_SHOWN - shown.size())
                .forEach(shown::add);
        for (ReceivedRequest request : shown) {
            out.println("  " + request.method() + " " + request.uri());
            if (!request.body().isEmpty()) {
                out.println("    " + request.body());
            }
        }
    }

    private void row(String label, long actual, long expected) {
        out.printf("  %-40s %8d  %s%n", label, actual, actual == expected ? "" : "(expected " + expected + ")");
    }

    private static long sum(DemoReport report) {
        return report.deadLettersRead().values().stream()
                .mapToLong(Integer::longValue)
                .sum();
    }

    static String percentiles(List<Long> latencies) {
        if (latencies.isEmpty()) {
            return "n/a";
        }
        List<Long> sorted = latencies.stream().sorted().toList();
        return String.format(
                Locale.ROOT,
                "p50 %d ms, p99 %d ms (%d samples)",
                percentile(sorted, 0.50),
                percentile(sorted, 0.99),
                sorted.size());
    }

    private static long percentile(List<Long> sorted, double quantile) {
        return sorted.get((int) Math.ceil(quantile * sorted.size()) - 1);
    }
}
