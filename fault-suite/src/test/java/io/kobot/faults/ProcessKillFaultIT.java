package io.kobot.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 1: the app SIGKILLed at random moments while records flow (0.5 to 4.5 s after each incarnation has
 * begun delivering), restarted each time on the same state directory, the last time on a fresh one (state then
 * comes only from the changelogs).
 */
@ExtendWith(RealInfrastructureExtension.class)
class ProcessKillFaultIT {

    @Test
    void sigkillsLoseNothing(KafkaBroker broker, ApicurioRegistry registry) {
        FaultSizes sizes = FaultSizes.current();
        Random random = new Random(Long.getLong("faults.seed", System.nanoTime()));
        try (FaultRun run = new FaultRun("sigkill", broker, registry, 3)) {
            run.start("app");
            CompletableFuture<Void> publishing =
                    run.publishAtRate(run.validInteractions(sizes.records()), sizes.publishRate());
            for (int kill = 1; kill <= sizes.kills(); kill++) {
                run.awaitProgress(100, Duration.ofSeconds(60));
                FaultRun.sleep(500 + random.nextInt(4_000));
                if (kill == sizes.kills()) {
                    run.killAndRestartFresh("app");
                } else {
                    run.kill("app", true);
                }
            }
            publishing.join();
            run.awaitAllDelivered(Timeouts.delivery(sizes));

            FaultReport report = run.finish(
                    String.format("%d × SIGKILL + restart during a %,d-record run", sizes.kills(), sizes.records()),
                    sizes,
                    sizes.kills(),
                    0);
            report.assertHolds();
            assertThat(report.deadLettered()).as(report.table()).isZero();
        }
    }
}
