package io.kobot.streams.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void percentilesAreBucketBounds() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 0; i < 98; i++) {
            histogram.record(Duration.ofMillis(40));
        }
        histogram.record(Duration.ofSeconds(3));
        histogram.record(Duration.ofHours(2));

        assertThat(histogram.count()).isEqualTo(100);
        assertThat(histogram.percentile(0.5)).isEqualTo(Duration.ofMillis(50));
        assertThat(histogram.percentile(0.99)).isEqualTo(Duration.ofSeconds(5));
        assertThat(histogram.percentile(1.0)).isGreaterThan(Duration.ofHours(1));
    }

    @Test
    void emptyIsZero() {
        assertThat(new LatencyHistogram().percentile(0.95)).isZero();
    }
}
