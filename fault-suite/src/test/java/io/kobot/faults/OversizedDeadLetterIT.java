package io.kobot.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.devstack.sample.SampleRecord;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Guards a bug found by the fuzz scenario: a bad record as large as the producer accepts (1 MiB by default) got a
 * dead letter that carried the same bytes plus metadata, larger than {@code max.request.size}; the send failed,
 * the exactly-once producer entered an error state, and the partition never moved past the record. Dead letters
 * now keep at most the first 512 KiB of the original value, with its whole size.
 */
@ExtendWith(RealInfrastructureExtension.class)
class OversizedDeadLetterIT {

    @Test
    void aRecordAtTheProducerLimitIsDeadLetteredWithoutStoppingThePartition(
            KafkaBroker broker, ApicurioRegistry registry) {
        try (FaultRun run = new FaultRun("oversized-dead-letter", broker, registry, 1)) {
            Iterator<SampleRecord> valid = run.validInteractions(2);
            SampleRecord oversized = run.fuzzedRecords(1).atProducerLimit(0);
            run.publish(List.of(valid.next(), oversized, valid.next()).iterator());
            run.start("app");
            run.awaitDeadLetters(1, Duration.ofSeconds(90));
            run.awaitAllDelivered(Duration.ofSeconds(60));

            FaultReport report = run.finish(
                    "one record at the producer's size limit between two valid ones", FaultSizes.current(), 0, 1);
            report.assertHolds();
            assertThat(report.deadLettered()).as(report.table()).isEqualTo(1);
        }
    }
}
