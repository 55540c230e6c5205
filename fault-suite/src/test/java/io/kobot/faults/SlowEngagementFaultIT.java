package io.kobot.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.devstack.kochava.Fault;
import io.kobot.devstack.sample.Interactions;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One engagement is answered 503 for a while, the others at once: a retrying engagement must hold only itself,
 * so the others are delivered with their usual latency (p99 under 1 s, from the broker's acknowledgement to the
 * receiver's success), and it is delivered once it is answered.
 */
@ExtendWith(RealInfrastructureExtension.class)
class SlowEngagementFaultIT {
    private static final int WARM_UP = 50;
    /** Indexes far past the measured ones, so that warm-up ids never collide with them. */
    private static final int WARM_UP_FROM = 1_000_000;

    @Test
    void aRetryingEngagementHoldsOnlyItself(KafkaBroker broker, ApicurioRegistry registry) {
        FaultSizes sizes = FaultSizes.current();
        Duration failing = sizes.full() ? Duration.ofMinutes(2) : Duration.ofSeconds(20);
        int records = sizes.full() ? 10_000 : 2_000;
        int rate = (int) Math.max(1, records * 1000L / failing.toMillis());
        try (FaultRun run = new FaultRun("slow-engagement", broker, registry, 3)) {
            Interactions interactions = run.validSample(records);
            String slow = interactions.original(run.interactionsTopic(), 0).interactionId();
            run.start("app");
            // Latency is measured on a running app: warm up with interactions of their own ids first.
            run.publish(IntStream.range(WARM_UP_FROM, WARM_UP_FROM + WARM_UP)
                    .mapToObj(id -> interactions.original(run.interactionsTopic(), id))
                    .iterator());
            run.awaitProgress(WARM_UP, Duration.ofSeconds(120));
            long measuredFrom = System.currentTimeMillis();
            run.receiver().failInteraction(slow, Fault.serverError());
            CompletableFuture<Void> publishing = run.publishAtRate(interactions.records(run.interactionsTopic()), rate);
            FaultRun.sleep(failing.toMillis());
            run.receiver().stopFailing(slow);
            run.note("interaction " + slow + " answered 503 until " + run.elapsedText());
            publishing.join();
            run.awaitAllDelivered(Timeouts.delivery(sizes));

            Map<String, Long> accepted = run.published().acceptedAt();
            Map<String, Long> delivered = run.tally().firstDeliveredAt();
            List<Long> latencies = new ArrayList<>();
            accepted.forEach((id, at) -> {
                if (!id.equals(slow) && at >= measuredFrom) {
                    latencies.add(Math.max(0, delivered.get(id) - at));
                }
            });
            Collections.sort(latencies);
            long p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
            run.note(String.format(
                    "latency of the %,d others: p50 %d ms, p99 %d ms, max %d ms",
                    latencies.size(), latencies.get(latencies.size() / 2), p99, latencies.get(latencies.size() - 1)));

            FaultReport report = run.finish(
                    String.format(
                            "one engagement answered 503 for %d s while %,d others " + "are delivered at %d/s",
                            failing.toSeconds(), records - 1, rate),
                    sizes,
                    0,
                    0);
            report.assertHolds();
            assertThat(report.deadLettered()).as(report.table()).isZero();
            assertThat(latencies.get(latencies.size() - 1))
                    .as("no other waited for the failing one, ms\n" + report.table())
                    .isLessThan(failing.toMillis());
            assertThat(p99)
                    .as("p99 latency of the others, ms\n" + report.table())
                    .isLessThan(1_000);
            assertThat(delivered.get(slow) - accepted.get(slow))
                    .as(report.table())
                    .isGreaterThanOrEqualTo(failing.toMillis() / 2);
        }
    }
}
