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
            run.killRepeatedly("app", sizes.kills(), random, () -> run.awaitProgress(100, Duration.ofSeconds(60)));
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
