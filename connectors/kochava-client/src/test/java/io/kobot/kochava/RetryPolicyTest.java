package io.kobot.kochava;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Instant FIRST = Instant.parse("2025-03-01T10:00:00Z");

    @Test
    void boundDoublesUpToTheMaximum() {
        RetryPolicy policy = new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofMinutes(5));

        assertThat(policy.backoffBound(1)).isEqualTo(200);
        assertThat(policy.backoffBound(2)).isEqualTo(400);
        assertThat(policy.backoffBound(3)).isEqualTo(800);
        assertThat(policy.backoffBound(8)).isEqualTo(25_600);
        assertThat(policy.backoffBound(9)).isEqualTo(30_000);
        assertThat(policy.backoffBound(1_000)).isEqualTo(30_000);
    }

    @Test
    void fullJitterDrawsBetweenZeroAndTheBound() {
        RetryPolicy policy = new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofMinutes(5));

        for (int i = 0; i < 1_000; i++) {
            Duration delay = policy.nextDelay(3, FIRST, FIRST, null).orElseThrow();
            assertThat(delay).isBetween(Duration.ZERO, Duration.ofMillis(800));
        }
    }

    @Test
    void retryAfterIsAFloor() {
        RetryPolicy policy =
                new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofMinutes(5), bound -> bound);

        assertThat(policy.nextDelay(1, FIRST, FIRST, Duration.ofSeconds(2))).contains(Duration.ofSeconds(2));
        assertThat(policy.nextDelay(1, FIRST, FIRST, Duration.ofMillis(50))).contains(Duration.ofMillis(200));
    }

    @Test
    void givesUpWhenTheNextAttemptWouldStartAfterMaxRetryTime() {
        RetryPolicy policy =
                new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(10), bound -> bound);

        assertThat(policy.nextDelay(1, FIRST, FIRST.plusMillis(9_800), null)).contains(Duration.ofMillis(200));
        assertThat(policy.nextDelay(1, FIRST, FIRST.plusMillis(9_801), null)).isEmpty();
        assertThat(policy.nextDelay(1, FIRST, FIRST, Duration.ofSeconds(11))).isEqualTo(Optional.empty());
    }
}
