package io.kobot.faults;

import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reproduces a bug found by the fuzz scenario: a bad record as large as the producer accepts (1 MiB by default)
 * gets a dead letter that carries the same bytes plus metadata, so the dead letter exceeds
 * {@code max.request.size}; the send fails with RecordTooLargeException, the exactly-once producer enters an
 * error state, the stream thread dies and is replaced on the same record until the instance exits (code 1), and
 * on every restart again: the partition never moves past the record.
 *
 * <p>Known to fail until the dead-letter builder bounds what it copies; run it with
 * {@code -Dfaults.known-bugs=true}.
 */
@ExtendWith(RealInfrastructureExtension.class)
@EnabledIfSystemProperty(named = "faults.known-bugs", matches = "true")
class OversizedDeadLetterIT {

    @Test
    void aRecordAtTheProducerLimitIsDeadLetteredWithoutStoppingThePartition(KafkaBroker broker,
                                                                           ApicurioRegistry registry) {
        try (FaultRun run = new FaultRun("oversized-dead-letter", broker, registry, 1)) {
            Iterator<OutgoingRecord> valid = run.validInteractions().records(2);
            OutgoingRecord oversized = run.fuzzedRecords(1).atProducerLimit(0);
            run.publisher().publish(List.of(valid.next(), oversized, valid.next()).iterator());
            run.start("app");
            run.awaitDeadLetters(1, Duration.ofSeconds(90));
            run.awaitAllDelivered(Duration.ofSeconds(60));

            FaultReport report = run.finish("one record at the producer's size limit between two valid ones",
                    FaultSizes.current(), 0, 1);
            assertThat(report.lost()).as(report.table()).isZero();
            assertThat(report.deadLettered()).as(report.table()).isEqualTo(1);
            assertThat(report.unexpectedExits()).as(report.table()).isZero();
        }
    }
}
