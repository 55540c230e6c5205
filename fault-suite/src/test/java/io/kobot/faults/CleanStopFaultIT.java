package io.kobot.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A rolling restart: SIGTERM right after the receiver has answered every interaction (outcomes possibly not yet
 * committed), then a restart on the same state directory. The clean stop must commit the outcomes it has, so the
 * restarted instance finds empty outboxes and sends nothing again.
 */
@ExtendWith(RealInfrastructureExtension.class)
class CleanStopFaultIT {

    @Test
    void aCleanStopAfterEverythingWasAnsweredSendsNothingAgain(KafkaBroker broker, ApicurioRegistry registry) {
        FaultSizes sizes = FaultSizes.current();
        int records = sizes.full() ? 20_000 : 2_000;
        try (FaultRun run = new FaultRun("clean-stop", broker, registry, 3)) {
            run.start("app");
            run.publishAtRate(run.validInteractions(records), sizes.publishRate())
                    .join();
            run.awaitAllDelivered(Timeouts.delivery(sizes));

            Duration stopped = run.terminate("app");
            long answered = run.tally().successfulAnswers();
            run.restart("app");
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> run.instance("app").logContains("REBALANCING -> RUNNING"));
            // Restored outbox entries are sent at the first punctuation after RUNNING; give them ample time.
            await().during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(6))
                    .until(() -> run.tally().successfulAnswers() == answered);

            FaultReport report = run.finish(
                    String.format("SIGTERM once all %,d were answered, then a restart", records), sizes, 0, 0);
            report.assertHolds();
            assertThat(report.extraRequests()).as(report.table()).isZero();
            assertThat(stopped).as(report.table()).isLessThan(Duration.ofSeconds(30));
            assertThat(report.deadLettered()).as(report.table()).isZero();
        }
    }
}
