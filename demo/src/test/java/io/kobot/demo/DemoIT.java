package io.kobot.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.streams.metrics.PipelineMetrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The demo, in this JVM, on a small sample: its numbers must be exactly what the sample implies. */
class DemoIT {
    @Test
    void summaryMatchesTheSample() throws Exception {
        StringWriter output = new StringWriter();
        PrintWriter out = new PrintWriter(output, true);

        DemoReport report = new DemoRun(300, Optional.empty(), 0, Duration.ofMinutes(2)).run(out);
        new DemoSummary(report, out).print();

        DemoInput.Expected expected = report.expected();
        assertThat(report.complete()).as(output.toString()).isTrue();
        assertThat(report.counter(PipelineMetrics.RECEIVED)).isEqualTo(expected.received());
        assertThat(report.counter(PipelineMetrics.DUPLICATES_DROPPED))
                .isEqualTo(expected.duplicates())
                .isEqualTo(15);
        assertThat(report.engagementsRead()).isEqualTo(expected.engagements()).isEqualTo(300);
        assertThat(report.counter(PipelineMetrics.ENRICHED_WITH_LINK)).isEqualTo(expected.linked());
        assertThat(report.counter(PipelineMetrics.ENRICHED_WITHOUT_LINK)).isEqualTo(expected.unlinked());
        assertThat(report.counter(PipelineMetrics.WITHOUT_USER)).isEqualTo(expected.withoutUser());
        assertThat(report.deadLettersRead()).isEqualTo(expected.deadLettersByReason());
        assertThat(expected.deadLettersByReason())
                .containsKeys("UNPARSEABLE", "INVALID_AVRO", "MISSING_FB_USER_ID", "INVALID_TRACKING_URL");
        if (!report.delivering()) {
            assertThat(report.receiver()).isEmpty();
        } else {
            assertThat(report.posts()).isEqualTo(expected.events());
            assertThat(report.pings()).isEqualTo(expected.pings());
        }
        assertThat(output.toString()).contains("Summary", "Demo complete.");
    }
}
