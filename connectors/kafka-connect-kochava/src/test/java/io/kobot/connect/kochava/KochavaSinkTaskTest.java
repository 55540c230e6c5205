package io.kobot.connect.kochava;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KochavaSinkTaskTest {

    private static final String TOPIC = "bot.engagements";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

    @RegisterExtension
    static final WireMockExtension KOCHAVA = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private final KochavaSinkTask task = new KochavaSinkTask(Duration.ofMillis(200));

    @AfterEach
    void stop() {
        task.stop();
    }

    @Test
    void rejectedRecordsAreReportedAndCommittedPastWhileDeliveredOnesAreDone() {
        stubAcceptingAllBut("Poison");
        FakeContext context = new FakeContext(true);
        start(context, Map.of());

        task.put(List.of(record(0, "Purchase"), record(1, "Poison"), record(2, "Purchase")));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            task.put(List.of());
            assertThat(context.reported).hasSize(1);
            assertThat(task.preCommit(consumedUpTo(3))).containsEntry(P0, new OffsetAndMetadata(3));
        });
        assertThat(context.reported.get(0).kafkaOffset()).isEqualTo(1);
        assertThat(context.reportedErrors.get(0))
                .isInstanceOf(DeliveryFailedException.class)
                .hasMessageContaining("REJECTED")
                .hasMessageContaining("HTTP 400")
                .hasMessageNotContaining("fb-");
    }

    @Test
    void withoutAReporterAPermanentFailureFailsTheTaskAndIsNeverCommitted() {
        stubAcceptingAllBut("Poison");
        start(new FakeContext(false), Map.of());

        task.put(List.of(record(0, "Purchase"), record(1, "Poison"), record(2, "Purchase")));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThatThrownBy(() -> task.put(List.of()))
                        .isInstanceOf(ConnectException.class)
                        .hasMessageContaining(TOPIC + "-0@1")
                        .hasMessageContaining("errors.tolerance=all"));
        assertThat(task.preCommit(consumedUpTo(3))).containsEntry(P0, new OffsetAndMetadata(1));
    }

    @Test
    void aValueThatIsNoEngagementGoesStraightToTheReporter() {
        FakeContext context = new FakeContext(true);
        start(context, Map.of());

        task.put(List.of(new SinkRecord(TOPIC, 0, null, null, null, Map.of("type", "EVENT"), 0)));

        assertThat(context.reportedErrors).singleElement().asString().contains("is missing");
        assertThat(task.preCommit(consumedUpTo(1))).containsEntry(P0, new OffsetAndMetadata(1));
    }

    @Test
    void asksToBePolledSoonWhileRecordsAreOpenSoThatAFailureIsReportedAtOnce() {
        KOCHAVA.stubFor(post(urlPathEqualTo("/track/json"))
                .willReturn(okJson("{\"success\":\"1\"}").withFixedDelay(500)));
        FakeContext context = new FakeContext(true);
        start(context, Map.of());

        task.put(List.of(record(0, "Purchase")));
        assertThat(context.timeouts).containsExactly(KochavaSinkTask.SETTLE_POLL_MS);

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(task.preCommit(consumedUpTo(1))).containsEntry(P0, new OffsetAndMetadata(1)));
        int asked = context.timeouts.size();
        task.put(List.of());
        assertThat(context.timeouts)
                .as("nothing open: Connect's own poll timeout applies")
                .hasSize(asked);
    }

    @Test
    void preCommitReportsARefusalKnownSinceTheLastPutAndPassesItOnceAcknowledged() {
        stubAcceptingAllBut("Poison");
        FakeContext context = new FakeContext(true);
        start(context, Map.of());

        task.put(List.of(record(0, "Purchase"), record(1, "Poison"), record(2, "Purchase")));

        // No put() after the first: the last commit before a restart or rebalance must still pass the refusal.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(task.preCommit(consumedUpTo(3))).containsEntry(P0, new OffsetAndMetadata(3)));
        assertThat(context.reported).extracting(SinkRecord::kafkaOffset).containsExactly(1L);
    }

    @Test
    void aReportNotYetAcknowledgedHoldsTheCommitUntilItIs() {
        stubAcceptingAllBut("Poison");
        CompletableFuture<Void> written = new CompletableFuture<>();
        FakeContext context = new FakeContext(written);
        start(context, Map.of());

        task.put(List.of(record(0, "Purchase"), record(1, "Poison"), record(2, "Purchase")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            task.put(List.of());
            assertThat(context.reported).hasSize(1);
        });
        // Reported but not acknowledged: the commit stops at it once the record before it is done.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(task.preCommit(consumedUpTo(3))).containsEntry(P0, new OffsetAndMetadata(1)));

        written.complete(null);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(task.preCommit(consumedUpTo(3))).containsEntry(P0, new OffsetAndMetadata(3)));
        assertThat(context.reported).hasSize(1);
    }

    @Test
    void aFailedDeadLetterWriteIsAnErrorAndTheRecordStaysUncommitted() {
        stubAcceptingAllBut("Poison");
        FakeContext context = new FakeContext(CompletableFuture.failedFuture(new IllegalStateException("DLQ down")));
        start(context, Map.of());

        task.put(List.of(record(0, "Poison")));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThatThrownBy(() -> task.preCommit(consumedUpTo(1)))
                        .isInstanceOf(ConnectException.class)
                        .hasMessageContaining("dead letter queue")
                        .hasRootCauseMessage("DLQ down"));
    }

    @Test
    void aReporterThatRefusesTheRecordFailsTheTaskAndTheRecordStaysUncommitted() {
        stubAcceptingAllBut("Poison");
        FakeContext context = new FakeContext((record, error) -> {
            throw new ConnectException("Tolerance exceeded in error handler", error);
        });
        start(context, Map.of());

        task.put(List.of(record(0, "Purchase"), record(1, "Poison"), record(2, "Purchase")));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThatThrownBy(() -> task.put(List.of())).hasMessageContaining("Tolerance exceeded"));
        assertThat(task.preCommit(consumedUpTo(3))).containsEntry(P0, new OffsetAndMetadata(1));
    }

    @Test
    void pausesItsPartitionsPastTheBytesBoundBeforeTheRecordsBound() {
        FakeContext context = new FakeContext(true);
        startDuringAnOutage(context, "sink.max-pending-bytes", "1000");

        task.put(List.of(record(0, "A")));
        assertThat(context.paused).as("one request body is under 1000 bytes").isEmpty();
        task.put(List.of(record(1, "B"), record(2, "C"), record(3, "D"), record(4, "E")));
        assertThat(context.paused).containsExactly(P0);

        KOCHAVA.stubFor(post(urlPathEqualTo("/track/json")).willReturn(okJson("{\"success\":\"1\"}")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            task.put(List.of());
            assertThat(context.paused).isEmpty();
        });
    }

    @Test
    void pausesItsPartitionsWhileTooManyRecordsAreOpenAndResumesOnceHalfAreDone() {
        FakeContext context = new FakeContext(true);
        startDuringAnOutage(context, "sink.max-pending-records", "4");

        task.put(List.of(record(0, "A"), record(1, "B"), record(2, "C"), record(3, "D")));
        assertThat(context.paused).containsExactly(P0);

        KOCHAVA.stubFor(post(urlPathEqualTo("/track/json")).willReturn(okJson("{\"success\":\"1\"}")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            task.put(List.of());
            assertThat(context.paused).isEmpty();
        });
        // Resumed at half; the rest follow.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(task.preCommit(consumedUpTo(4))).containsEntry(P0, new OffsetAndMetadata(4)));
    }

    private void start(FakeContext context, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>(Map.of(
                "kochava.endpoint", KOCHAVA.baseUrl() + "/track/json",
                // WireMock listens on loopback: a stand-in, allowed explicitly.
                "kochava.allow-private-addresses", "true",
                "delivery.max-retry-time", "0"));
        props.putAll(overrides);
        task.initialize(context);
        task.start(props);
    }

    /** Kochava answers 503 (until a test stubs it again); the task retries quickly and keeps at most {@code bound}. */
    private void startDuringAnOutage(FakeContext context, String boundKey, String bound) {
        KOCHAVA.stubFor(
                post(urlPathEqualTo("/track/json")).willReturn(aResponse().withStatus(503)));
        start(
                context,
                Map.of(
                        boundKey,
                        bound,
                        "delivery.max-retry-time",
                        "60000",
                        "delivery.retry.initial-backoff",
                        "50",
                        "delivery.retry.max-backoff",
                        "100"));
    }

    private static void stubAcceptingAllBut(String rejectedEventName) {
        KOCHAVA.stubFor(post(urlPathEqualTo("/track/json")).willReturn(okJson("{\"success\":\"1\"}")));
        KOCHAVA.stubFor(post(urlPathEqualTo("/track/json"))
                .atPriority(1)
                .withRequestBody(matchingJsonPath("$.data.event_name", equalTo(rejectedEventName)))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"bad event\"}")));
    }

    private static SinkRecord record(long offset, String eventName) {
        return new SinkRecord(
                TOPIC,
                0,
                null,
                "fb-" + offset,
                EngagementSchema.SCHEMA,
                EngagementSchema.toStruct(TestEngagements.event("i-" + offset, eventName)),
                offset);
    }

    private static Map<TopicPartition, OffsetAndMetadata> consumedUpTo(long next) {
        return Map.of(P0, new OffsetAndMetadata(next));
    }

    /** The part of Connect's context this task uses, recording what it is told. */
    private static final class FakeContext implements SinkTaskContext {
        final List<SinkRecord> reported = new ArrayList<>();
        final List<Throwable> reportedErrors = new ArrayList<>();
        final Set<TopicPartition> paused = new HashSet<>();
        final List<Long> timeouts = new ArrayList<>();
        private final ErrantRecordReporter reporter;
        private final Future<Void> written;

        FakeContext(boolean withReporter) {
            this.written = CompletableFuture.completedFuture(null);
            this.reporter = withReporter ? this::report : null;
        }

        FakeContext(ErrantRecordReporter reporter) {
            this.written = null;
            this.reporter = reporter;
        }

        /** With a reporter whose reports complete as {@code written} does. */
        FakeContext(Future<Void> written) {
            this.written = written;
            this.reporter = this::report;
        }

        private Future<Void> report(SinkRecord record, Throwable error) {
            reported.add(record);
            reportedErrors.add(error);
            return written;
        }

        @Override
        public ErrantRecordReporter errantRecordReporter() {
            return reporter;
        }

        @Override
        public Set<TopicPartition> assignment() {
            return Set.of(P0);
        }

        @Override
        public void pause(TopicPartition... partitions) {
            paused.addAll(List.of(partitions));
        }

        @Override
        public void resume(TopicPartition... partitions) {
            List.of(partitions).forEach(paused::remove);
        }

        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {}

        @Override
        public void offset(TopicPartition tp, long offset) {}

        @Override
        public void timeout(long timeoutMs) {
            timeouts.add(timeoutMs);
        }

        @Override
        public void requestCommit() {}

        @Override
        public PluginMetrics pluginMetrics() {
            return null;
        }
    }
}
