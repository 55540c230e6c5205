package io.kobot.streams.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.streams.metrics.PipelineMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineMeterBinderTest {
    @Test
    void misplacedRecordsAreCountedByTopic() {
        PipelineMetrics metrics = new PipelineMetrics();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PipelineMeterBinder binder = new PipelineMeterBinder(metrics, registry);
        metrics.countMisplaced("bot.interactions");
        metrics.countMisplaced("bot.interactions");
        metrics.countMisplaced("bot.identity-links");
        binder.bindNew();

        assertThat(registry.scrape())
                .contains(
                        "kobot_misplaced_records_total{topic=\"bot.interactions\"} 2.0",
                        "kobot_misplaced_records_total{topic=\"bot.identity-links\"} 1.0");
        assertThat(registry.find(PipelineMeterBinder.RECORDS)
                        .tag("stage", "misplaced")
                        .meters())
                .as("misplaced counts are not stage counters")
                .isEmpty();
    }

    @Test
    void misplacedCountersOfTheSourceTopicsAreExportedAtZeroFromTheStart() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new PipelineMeterBinder(new PipelineMetrics(), registry, List.of("bot.interactions", "bot.identity-links"));

        assertThat(registry.scrape())
                .contains(
                        "kobot_misplaced_records_total{topic=\"bot.interactions\"} 0.0",
                        "kobot_misplaced_records_total{topic=\"bot.identity-links\"} 0.0");
    }
}
