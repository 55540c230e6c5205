package io.kobot.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.devstack.kochava.Fault;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 2: mid-run, Kochava answers 503 for half the outage, then refuses connections for the other half,
 * while records keep arriving. Retries (delivery.max-retry-time 10 min) must outlast it: nothing lost, nothing
 * dead-lettered, and, with no crash, nothing sent twice.
 */
@ExtendWith(RealInfrastructureExtension.class)
class EndpointOutageFaultIT {
    private static final int RATE = 1_000;
    private static final long LEAD_MS = 5_000;

    @Test
    void outageLosesNothing(KafkaBroker broker, ApicurioRegistry registry) {
        FaultSizes sizes = FaultSizes.current();
        long outageMs = sizes.outage().toMillis();
        int records = (int) (RATE * (2 * LEAD_MS + outageMs) / 1000);
        try (FaultRun run = new FaultRun("outage", broker, registry, 3)) {
            run.start("app");
            CompletableFuture<Void> publishing = run.publishAtRate(run.validInteractions(records), RATE);
            // The outage starts once the instance delivers (a second's worth), not after a fixed lead that a slow
            // start could use up: it must interrupt delivery in progress.
            run.awaitProgress(RATE, Duration.ofSeconds(60));
            run.receiver().answerWith(Fault.serverError());
            run.note("503 from " + run.elapsedText());
            FaultRun.sleep(outageMs / 2);
            run.receiver().refuseConnections();
            run.note("connections refused from " + run.elapsedText());
            FaultRun.sleep(outageMs / 2);
            run.receiver().serve();
            run.note("serving again from " + run.elapsedText());
            publishing.join();
            run.awaitAllDelivered(Timeouts.delivery(sizes));

            FaultReport report = run.finish(
                    String.format(
                            "endpoint 503 then connection refused for %d s, %,d " + "records at %,d/s",
                            sizes.outage().toSeconds(), records, RATE),
                    sizes,
                    0,
                    0);
            report.assertHolds();
            assertThat(report.deadLettered()).as(report.table()).isZero();
        }
    }
}
