package io.kobot.bench;

import io.kobot.devstack.kochava.KochavaStandIn;
import io.kobot.devstack.kochava.PositionTally;
import io.kobot.devstack.sample.Interactions;
import io.kobot.kochava.DeliveryMetrics;
import io.kobot.kochava.KochavaClientConfig;
import io.kobot.kochava.KochavaDeliverer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * (c) What the Kochava client and the receiver sustain without Kafka: the same deliverer, with the same settings
 * as the pipeline's, sends the request of every unique interaction (events POSTed, impressions and clicks
 * pinged). At most {@code maxPending} deliveries are outstanding, as the delivery sink bounds its own.
 */
final class HttpCeiling {
    /** What the phase measured. */
    record Result(Throughput throughput, int maxInFlight, long failed, PositionTally tally) {}

    private final Interactions workload;
    private final KochavaStandIn receiver;

    HttpCeiling(Interactions workload, KochavaStandIn receiver) {
        this.workload = workload;
        this.receiver = receiver;
    }

    Result run(Map<String, Object> kochavaConfig, int maxPending, Duration timeout) throws InterruptedException {
        PositionTally tally = new PositionTally(workload.positions(), workload.uniqueCount());
        receiver.countInto(tally);
        Semaphore pending = new Semaphore(maxPending);
        LongAdder failed = new LongAdder();
        long occurredAt = System.currentTimeMillis();
        long start = System.nanoTime();
        try (KochavaDeliverer deliverer =
                        new KochavaDeliverer(KochavaClientConfig.from(kochavaConfig), DeliveryMetrics.NOOP);
                InFlightSampler inFlight = new InFlightSampler(deliverer::inFlight)) {
            for (int position = 0; position < workload.positions(); position++) {
                if (workload.isOriginal(position)) {
                    pending.acquire();
                    deliverer
                            .deliver(BenchSample.engagement(workload, position, occurredAt))
                            .whenComplete((result, error) -> {
                                if (error != null || !result.delivered()) {
                                    failed.increment();
                                }
                                pending.release();
                            });
                }
            }
            pending.acquire(maxPending);
            Throughput throughput = Throughput.since(workload.uniqueCount(), start);
            tally.awaitAll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Result(throughput, inFlight.max(), failed.sum(), tally);
        }
    }
}
