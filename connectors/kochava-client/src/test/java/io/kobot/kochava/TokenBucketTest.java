package io.kobot.kochava;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void burstsOneSecondsWorthThenSpacesReservations() {
        TokenBucket bucket = new TokenBucket(4, 0);

        for (int i = 0; i < 4; i++) assertThat(bucket.reserve(0)).isZero();
        assertThat(bucket.reserve(0)).isEqualTo(SECOND / 4);
        assertThat(bucket.reserve(0)).isEqualTo(SECOND / 2);
        // time passes: the queue of reservations shrinks
        assertThat(bucket.reserve(SECOND / 2)).isEqualTo(SECOND / 4);
    }

    @Test
    void refillsUpToCapacityOnly() {
        TokenBucket bucket = new TokenBucket(2, 0);

        assertThat(bucket.reserve(100 * SECOND)).isZero();
        assertThat(bucket.reserve(100 * SECOND)).isZero();
        assertThat(bucket.reserve(100 * SECOND)).isEqualTo(SECOND / 2);
    }

    @Test
    void slowRatesStillAllowOneRequest() {
        TokenBucket bucket = new TokenBucket(0.5, 0);

        assertThat(bucket.reserve(0)).isZero();
        assertThat(bucket.reserve(0)).isEqualTo(2 * SECOND);
    }

    @Test
    void isFullOnceItHasRefilledToCapacity() {
        TokenBucket bucket = new TokenBucket(2, 0);
        assertThat(bucket.isFullAt(0)).isTrue();
        bucket.reserve(0);
        bucket.reserve(0);
        bucket.reserve(0); // owes half a second
        assertThat(bucket.isFullAt(SECOND)).isFalse();
        assertThat(bucket.isFullAt(3 * SECOND / 2)).isTrue();
    }

    @Test
    void appsHaveTheirOwnBuckets() {
        AtomicLong now = new AtomicLong();
        AppRateLimiter limiter = new AppRateLimiter(1, now::get);

        assertThat(limiter.reserve("a")).isZero();
        assertThat(limiter.reserve("a")).isEqualTo(SECOND);
        assertThat(limiter.reserve("b")).isZero();
        assertThat(new AppRateLimiter(0, now::get).reserve("a")).isZero();
    }
}
