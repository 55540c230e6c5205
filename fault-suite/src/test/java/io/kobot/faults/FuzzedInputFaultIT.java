package io.kobot.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.devstack.sample.SampleRecord;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 4: fuzzed records interleaved one to one with valid ones. Every bad record must come out on the
 * dead-letter topic, every valid one at the receiver, and the app must not stop or restart.
 */
@ExtendWith(RealInfrastructureExtension.class)
class FuzzedInputFaultIT {

    @Test
    void badRecordsAreDeadLetteredAndGoodOnesDelivered(KafkaBroker broker, ApicurioRegistry registry) {
        FaultSizes sizes = FaultSizes.current();
        try (FaultRun run = new FaultRun("fuzz", broker, registry, 3)) {
            List<SampleRecord> bad = run.fuzzedRecords(Long.getLong("faults.seed", System.nanoTime()))
                    .records(sizes.fuzzed());
            Iterator<SampleRecord> good = run.validInteractions(sizes.fuzzed());
            List<SampleRecord> interleaved = new ArrayList<>();
            for (SampleRecord record : bad) {
                interleaved.add(record);
                if (good.hasNext()) {
                    interleaved.add(good.next());
                }
            }
            good.forEachRemaining(interleaved::add);
            run.start("app");
            run.publish(interleaved.iterator());
            run.note("bad records published by kind: " + run.published().badAcceptedByKind());
            run.awaitDeadLetters(run.published().badAccepted(), Timeouts.delivery(sizes));
            run.awaitAllDelivered(Timeouts.delivery(sizes));

            FaultReport report = run.finish(
                    String.format("%,d fuzzed records interleaved with %,d valid ones", sizes.fuzzed(), sizes.fuzzed()),
                    sizes,
                    0,
                    run.published().badAccepted());
            report.assertHolds();
            assertThat(report.deadLettered())
                    .as(report.table())
                    .isEqualTo(run.published().badAccepted());
        }
    }
}
