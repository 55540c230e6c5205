package io.kobot.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.schema.Engagement;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario: {@code processing.guarantee=at_least_once} (offered with {@code delivery.mode=connect}), the app
 * SIGKILLed at random moments while records flow, restarted on its state each time and on a fresh state directory
 * the last time. Counted on the engagements topic, which is what the pipeline delivers in this mode: every accepted
 * interaction must be there, i.e. deduplication never drops a record read again after a crash as its own copy.
 */
@ExtendWith(RealInfrastructureExtension.class)
class AtLeastOnceKillFaultIT {
    /** Kafka Streams' default {@code max.poll.records}: what one task can have processed and not committed. */
    private static final int MAX_POLL_RECORDS = 1_000;
    /** Catch-up processing rate a restarted instance may reach on this class of machine, for the bound. */
    private static final int CATCH_UP_PER_SECOND = 50_000;

    @Test
    void sigkillsUnderAtLeastOnceLoseNothing(KafkaBroker broker, ApicurioRegistry registry) {
        FaultSizes sizes = FaultSizes.current();
        Random random = new Random(Long.getLong("faults.seed", System.nanoTime()));
        Map<String, String> settings = Map.of(
                "processing.guarantee", "at_least_once",
                "delivery.mode", "connect");
        try (FaultRun run = new FaultRun("alos-sigkill", broker, registry, 3, settings)) {
            TopicCounter<Engagement> engagements = new TopicCounter<>(
                    run.clientProperties(),
                    run.registryUrl(),
                    run.engagementsTopic(),
                    Engagement.class,
                    Engagement::getInteractionId);
            run.start("app");
            CompletableFuture<Void> publishing =
                    run.publishAtRate(run.validInteractions(sizes.records()), sizes.publishRate());
            run.killRepeatedly(
                    "app", sizes.kills(), random, () -> awaitMoreEngagements(engagements, 100, Duration.ofSeconds(60)));
            publishing.join();
            awaitAll(run, engagements, Timeouts.delivery(sizes));

            FaultReport report = run.finish(
                    String.format(
                            "at_least_once: %d × SIGKILL + restart during a %,d-record run, counted on the "
                                    + "engagements topic",
                            sizes.kills(), sizes.records()),
                    0,
                    sizes,
                    engagements::count,
                    new DuplicateBound(
                            sizes.kills(),
                            run.partitions(),
                            MAX_POLL_RECORDS,
                            FaultRun.COMMIT_INTERVAL_MS,
                            CATCH_UP_PER_SECOND,
                            "max.poll.records"));
            report.assertHolds();
            assertThat(report.deadLettered()).as(report.table()).isZero();
        }
    }

    private static void awaitMoreEngagements(TopicCounter<Engagement> engagements, int more, Duration timeout) {
        long target = total(engagements.count()) + more;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (total(engagements.count()) < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + more + " new engagements within " + timeout);
            }
            FaultRun.sleep(250);
        }
    }

    private static void awaitAll(FaultRun run, TopicCounter<Engagement> engagements, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!engagements.count().keySet().containsAll(run.published().accepted())) {
            if (System.nanoTime() > deadline) {
                return; // the report counts what is missing as lost, and assertHolds fails on it
            }
            FaultRun.sleep(500);
        }
    }

    private static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
