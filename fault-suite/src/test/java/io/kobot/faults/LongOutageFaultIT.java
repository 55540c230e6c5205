package io.kobot.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A long outage (503, then connection refused) with 6 tasks on one stream thread and outboxes filled past
 * {@code delivery.outbox.max-size}, so backpressure is engaged the whole time; in the middle of it a SIGTERM and a
 * restart. Backpressure must never hold a transaction open long enough for the broker to abort it: no fencing, no
 * task corruption, no thread replacement; the SIGTERM exits 0 within 30 s; then everything is delivered, once.
 *
 * <p>Full size: a 10-minute outage with Streams' default {@code transaction.timeout.ms} (10 s). Reduced size: a
 * 20 s outage with the transaction timeout halved to 5 s, so that the same backpressure (a fifth of it per
 * transaction) is tested against a tighter deadline in less time.
 */
@ExtendWith(RealInfrastructureExtension.class)
class LongOutageFaultIT {
    private static final int PARTITIONS = 6;
    private static final int OUTBOX_MAX_SIZE = 100;
    private static final long LEAD_MS = 10_000;
    private static final Pattern CLOSED_WITH = Pattern.compile("closed with (\\d+) engagements in its outbox");
    /** What the app logs at its clean close, from its {@code kobot_transactions_*} counters. */
    private static final Pattern TRANSACTIONS =
            Pattern.compile("transactions since start: (\\d+) committed, (\\d+) aborted");
    /**
     * What Kafka Streams and the app log when the broker aborted a transaction (the producer is fenced: its epoch
     * was bumped) or a stream thread died.
     */
    private static final List<String> TRANSACTION_ABORTED = List.of(
            "ProducerFencedException",
            "InvalidProducerEpochException",
            "TaskMigratedException",
            "being fenced",
            "Stream thread died");
    /** A commit that timed out; Streams may also log it at start-up (a known start-up race), so only checked later. */
    private static final String TASK_CORRUPTED = "TaskCorruptedException";

    @Test
    void backpressureNeverCostsATransactionAndASigtermMidOutageExitsCleanly(
            KafkaBroker broker, ApicurioRegistry registry) {
        FaultSizes sizes = FaultSizes.current();
        Duration outage = sizes.full() ? Duration.ofMinutes(10) : Duration.ofSeconds(20);
        int rate = sizes.full() ? 200 : 300;
        int records = (int) (rate * (LEAD_MS + outage.toMillis()) / 1000);
        // LEAD_MS covers the app's start and one second of deliveries before the outage.
        Map<String, String> settings = new HashMap<>(Map.of(
                "num.stream.threads", "1",
                "delivery.outbox.max-size", String.valueOf(OUTBOX_MAX_SIZE),
                "delivery.max-pending", "50",
                "delivery.batch.max-events", "50",
                "delivery.max-retry-time", String.valueOf(outage.multipliedBy(3).toMillis()),
                "shutdown.timeout", "PT30S"));
        if (!sizes.full()) {
            settings.put("kafka.producer.transaction.timeout.ms", "5000");
        }
        try (FaultRun run = new FaultRun("long-outage", broker, registry, PARTITIONS, settings)) {
            run.start("app");
            CompletableFuture<Void> publishing =
                    run.publisher().publishAtRate(run.validInteractions().records(records), rate);
            // The outage starts once the app delivers, so that the SIGTERM in its middle finds it running.
            run.awaitProgress(rate, Duration.ofSeconds(90));
            long logBeforeOutage = read(run.instance("app").log()).length();
            run.receiver().answer503();
            run.note("503 from " + run.elapsedText());
            FaultRun.sleep(outage.toMillis() / 2);
            run.receiver().refuseConnections();
            run.note("connections refused from " + run.elapsedText());
            Duration stopped = run.terminate("app");
            int largestOutbox = largestOutboxAtClose(run.instance("app").log());
            run.restart("app");
            FaultRun.sleep(outage.toMillis() / 2);
            run.receiver().serve();
            run.note("serving again from " + run.elapsedText());
            long drainStart = System.nanoTime();
            publishing.join();
            run.awaitAllDelivered(Timeouts.delivery(sizes));
            run.note(String.format(
                    "all delivered %.1f s after the outage ended", (System.nanoTime() - drainStart) / 1e9));

            FaultReport report = run.finish(
                    String.format(
                            "%d tasks on one thread, outbox.max-size %d, %d s outage "
                                    + "(503, then refused) with a SIGTERM and restart in the middle, %,d records at %d/s",
                            PARTITIONS, OUTBOX_MAX_SIZE, outage.toSeconds(), records, rate),
                    sizes,
                    0,
                    0);
            report.assertHolds();
            assertThat(report.deadLettered()).as(report.table()).isZero();
            assertThat(stopped).as("SIGTERM mid-outage\n" + report.table()).isLessThan(Duration.ofSeconds(30));
            assertThat(largestOutbox)
                    .as("outboxes filled past delivery.outbox.max-size\n" + report.table())
                    .isGreaterThan(OUTBOX_MAX_SIZE);
            List<Path> logs = run.logs();
            for (Path log : logs) {
                String text = read(log);
                assertThat(TRANSACTION_ABORTED).as(log + "\n" + report.table()).noneMatch(text::contains);
                Matcher transactions = TRANSACTIONS.matcher(text);
                assertThat(transactions.find())
                        .as("transaction counts in " + log)
                        .isTrue();
                assertThat(Long.parseLong(transactions.group(2)))
                        .as("kobot_transactions_aborted_total of " + log + "\n" + report.table())
                        .isZero();
                assertThat(Long.parseLong(transactions.group(1)))
                        .as("transactions committed")
                        .isPositive();
            }
            assertThat(read(logs.get(0)).substring((int) logBeforeOutage))
                    .as("during the outage\n" + report.table())
                    .doesNotContain(TASK_CORRUPTED);
        }
    }

    private static int largestOutboxAtClose(Path log) {
        Matcher matcher = CLOSED_WITH.matcher(read(log));
        int largest = 0;
        while (matcher.find()) {
            largest = Math.max(largest, Integer.parseInt(matcher.group(1)));
        }
        return largest;
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
