package io.kobot.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 3: two instances share the work (same application.id, own state directories); one is SIGKILLed
 * mid-run and not restarted, so the other takes over its tasks, restores their outboxes and finishes.
 */
@ExtendWith(RealInfrastructureExtension.class)
class RebalanceFaultIT {

    @Test
    void survivorFinishesTheWork(KafkaBroker broker, ApicurioRegistry registry) {
        FaultSizes sizes = FaultSizes.current();
        int records = sizes.records() / 2;
        Random random = new Random(Long.getLong("faults.seed", System.nanoTime()));
        try (FaultRun run = new FaultRun("rebalance", broker, registry, 4)) {
            run.start("a");
            run.start("b");
            CompletableFuture<Void> publishing = run.publishAtRate(run.validInteractions(records), sizes.publishRate());
            FaultRun.sleep(6_000 + random.nextInt(4_000));
            run.kill("a", false);
            publishing.join();
            run.awaitAllDelivered(Timeouts.delivery(sizes));

            FaultReport report =
                    run.finish(String.format("2 instances, one SIGKILLed, %,d records", records), sizes, 1, 0);
            report.assertHolds();
            assertThat(report.deadLettered()).as(report.table()).isZero();
        }
    }
}
