package io.kobot.kochava;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AppRateLimiterTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long SWEEP = AppRateLimiter.SWEEP_INTERVAL_SECONDS * SECOND;

    private final AtomicLong now = new AtomicLong(123 * SECOND);

    @Test
    void idleBucketsAreEvictedAtTheNextSweep() {
        AppRateLimiter limiter = new AppRateLimiter(10, now::get);
        IntStream.range(0, 1_000).forEach(i -> limiter.reserve("app-" + i));
        assertThat(limiter.trackedApps()).isEqualTo(1_000);

        now.addAndGet(SWEEP - 1);
        limiter.reserve("busy");
        assertThat(limiter.trackedApps()).as("no sweep before the interval").isEqualTo(1_001);

        now.addAndGet(1);
        limiter.reserve("busy");
        assertThat(limiter.trackedApps()).as("only the app just used is left").isEqualTo(1);
    }

    @Test
    void aBucketThatStillOwesTimeIsKeptUntilItHasRefilled() {
        AppRateLimiter limiter = new AppRateLimiter(0.01, now::get); // one request per 100 s, capacity 1
        assertThat(limiter.reserve("slow")).isZero();
        assertThat(limiter.reserve("slow")).isEqualTo(100 * SECOND);

        now.addAndGet(SWEEP);
        limiter.reserve("other");
        assertThat(limiter.trackedApps())
                .as("'slow' is still paying off its reservations")
                .isEqualTo(2);

        now.addAndGet(SWEEP);
        // 120 s after the start 'slow' holds 0.2 tokens: its next request waits 80 s, as if no sweep had run
        assertThat(limiter.reserve("slow")).isEqualTo(80 * SECOND);
        assertThat(limiter.trackedApps()).isEqualTo(2);

        now.addAndGet(200 * SECOND);
        limiter.reserve("third");
        assertThat(limiter.trackedApps()).as("both refilled and were dropped").isEqualTo(1);
    }

    @Test
    void anEvictedAppStartsAgainWithAFullBucketAsItWouldHaveHad() {
        AppRateLimiter limiter = new AppRateLimiter(2, now::get);
        limiter.reserve("a");
        limiter.reserve("a");
        assertThat(limiter.reserve("a")).isEqualTo(SECOND / 2);

        now.addAndGet(SWEEP);
        limiter.reserve("b"); // sweeps 'a'
        assertThat(limiter.trackedApps()).isEqualTo(1);

        assertThat(limiter.reserve("a")).isZero();
        assertThat(limiter.reserve("a")).isZero();
        assertThat(limiter.reserve("a")).isEqualTo(SECOND / 2);
    }

    @Test
    void withoutALimitNothingIsTracked() {
        AppRateLimiter limiter = new AppRateLimiter(0, now::get);
        assertThat(limiter.reserve("a")).isZero();
        assertThat(limiter.trackedApps()).isZero();
    }
}
