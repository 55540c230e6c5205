package io.kobot.streams.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlockingBudgetTest {
    private static final long MS = 1_000_000;

    @Test
    void aTransactionMayBlockAFifthOfTheTransactionTimeoutAtMost() {
        BlockingBudget budget = BlockingBudget.forStreamsConfig(Map.of(), Duration.ofSeconds(1));

        assertThat(budget.roundAllowance()).isEqualTo(Duration.ofSeconds(2));
        assertThat(budget.available()).as("one record: the per-record limit").isEqualTo(1_000 * MS);
        budget.spend(1_000 * MS);
        budget.spend(800 * MS);
        assertThat(budget.available())
                .as("what is left of the transaction's allowance")
                .isEqualTo(200 * MS);
        budget.spend(200 * MS);
        assertThat(budget.available()).isZero();
        budget.replenish();
        assertThat(budget.available()).isEqualTo(1_000 * MS);
    }

    @Test
    void followsTheProducersTransactionTimeoutAndThePollInterval() {
        assertThat(BlockingBudget.forStreamsConfig(
                                Map.of("producer.transaction.timeout.ms", "5000"), Duration.ofSeconds(1))
                        .roundAllowance())
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(BlockingBudget.forStreamsConfig(
                                Map.of("transaction.timeout.ms", 60_000, "max.poll.interval.ms", "20000"),
                                Duration.ofSeconds(1))
                        .roundAllowance())
                .as("a quarter of max.poll.interval.ms when that is smaller")
                .isEqualTo(Duration.ofSeconds(5));
    }
}
