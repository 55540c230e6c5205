package io.kobot.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.KafkaBrokers;
import io.kobot.testing.RealInfrastructureExtension;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 5: the broker (this test's own, not the shared one) stops and starts again on the same port and data
 * mid-run, under the app's transactions and the publisher's sends.
 */
@ExtendWith(RealInfrastructureExtension.class)
class BrokerRestartFaultIT {

    @Test
    void brokerRestartLosesNothing(ApicurioRegistry registry) {
        FaultSizes sizes = FaultSizes.current();
        int records = sizes.records() / 4;
        try (KafkaBroker broker = KafkaBrokers.start();
                FaultRun run = new FaultRun("broker-restart", broker, registry, 3)) {
            run.start("app");
            CompletableFuture<Void> publishing =
                    run.publishAtRate(run.validInteractions(records), sizes.publishRate() / 2);
            FaultRun.sleep(sizes.full() ? 10_000 : 6_000);
            run.note("broker restart from " + run.elapsedText());
            broker.restart();
            run.note("broker back at " + run.elapsedText());
            publishing.join();
            run.awaitAllDelivered(Timeouts.delivery(sizes));

            FaultReport report =
                    run.finish(String.format("broker restarted mid-run, %,d records", records), sizes, 1, 0);
            report.assertHolds();
            assertThat(report.deadLettered()).as(report.table()).isZero();
        }
    }
}
