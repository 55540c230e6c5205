package io.kobot.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.devstack.sample.PublishLedger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one scenario did to the data, from the outside: what the broker accepted, what the receiver answered with
 * success (per interaction id), and what the dead-letter topic holds. Printed as a table and kept under
 * {@code target/fault-reports}.
 */
record FaultReport(
        String scenario,
        String description,
        String sizes,
        long published,
        int accepted,
        int delivered,
        int lost,
        int duplicatedIds,
        long extraRequests,
        Map<String, Long> deadLetters,
        long deadLettersExpected,
        DuplicateBound bound,
        long unexpectedExits,
        List<Integer> sigtermExits,
        Duration elapsed,
        List<String> notes) {

    static FaultReport of(
            String scenario,
            String description,
            FaultSizes sizes,
            PublishLedger publisher,
            Map<String, Long> deliveries,
            Map<String, Long> deadLetters,
            long deadLettersExpected,
            DuplicateBound bound,
            long unexpectedExits,
            List<Integer> sigtermExits,
            Duration elapsed,
            List<String> notes) {
        Set<String> accepted = publisher.accepted();
        int lost = (int)
                accepted.stream().filter(id -> !deliveries.containsKey(id)).count();
        int duplicated =
                (int) deliveries.values().stream().filter(count -> count > 1).count();
        long extra = deliveries.values().stream().mapToLong(count -> count - 1).sum();
        int delivered = (int) accepted.stream().filter(deliveries::containsKey).count();
        return new FaultReport(
                scenario,
                description,
                sizes.label(),
                publisher.published(),
                accepted.size(),
                delivered,
                lost,
                duplicated,
                extra,
                deadLetters,
                deadLettersExpected,
                bound,
                unexpectedExits,
                List.copyOf(sigtermExits),
                elapsed,
                List.copyOf(notes));
    }

    long deadLettered() {
        return deadLetters.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * What every scenario promises: nothing lost, no more requests sent twice than the bound (0 without a crash or
     * rebalance), every SIGTERM answered with exit code 0, and no instance exiting on its own.
     */
    void assertHolds() {
        assertThat(lost).as("lost\n" + table()).isZero();
        assertThat(extraRequests)
                .as("requests sent twice, bound " + bound.value() + "\n" + table())
                .isLessThanOrEqualTo(bound.value());
        assertThat(sigtermExits).as("exit codes after SIGTERM\n" + table()).containsOnly(0);
        assertThat(unexpectedExits).as("unexpected exits\n" + table()).isZero();
    }

    String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(row("scenario", scenario + " (" + sizes + "): " + description));
        rows.add(row("published", String.format("%,d records", published)));
        rows.add(
                row("accepted", String.format("%,d distinct valid interactions acknowledged by the broker", accepted)));
        rows.add(row("delivered", String.format("%,d of them answered with success by the receiver", delivered)));
        rows.add(row("lost", String.format("%,d", lost)));
        rows.add(row(
                "duplicated",
                String.format(
                        "%,d interactions received more than once (%,d extra requests)",
                        duplicatedIds, extraRequests)));
        rows.add(row(
                "dead-lettered",
                String.format(
                        "%,d (expected %,d) %s",
                        deadLettered(), deadLettersExpected, deadLetters.isEmpty() ? "" : deadLetters)));
        rows.add(row(
                "duplicate bound", bound.describe() + (extraRequests <= bound.value() ? ": within" : ": EXCEEDED")));
        rows.add(row("unexpected exits", String.valueOf(unexpectedExits)));
        rows.add(row("exit codes after SIGTERM", sigtermExits.toString()));
        rows.add(row("elapsed", String.format("%.1f s", elapsed.toMillis() / 1000.0)));
        notes.forEach(note -> rows.add(row("note", note)));
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        StringBuilder table = new StringBuilder("\n");
        String rule = "+" + "-".repeat(width + 2) + "+" + "-".repeat(100) + "\n";
        table.append(rule);
        rows.forEach(r -> table.append(String.format("| %-" + width + "s | %s%n", r[0], r[1])));
        return table.append(rule).toString();
    }

    /** Prints the table and appends it to {@code faults.reports}/summary.txt (target/fault-reports). */
    void publish() {
        String table = table();
        System.out.println(table);
        Path dir = Path.of(System.getProperty("faults.reports", "target/fault-reports"));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("summary.txt"), table, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String[] row(String name, String value) {
        return new String[] {name, value};
    }
}
