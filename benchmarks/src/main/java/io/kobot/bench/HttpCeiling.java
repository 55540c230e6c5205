package io.kobot.bench;

import io.kobot.devstack.kochava.KochavaStandIn;
import io.kobot.devstack.kochava.PositionTally;
import io.kobot.devstack.sample.Interactions;
import io.kobot.kochava.KochavaClientConfig;
import io.kobot.kochava.KochavaDeliverer;
import io.kobot.streams.deliver.DeliveryStatistics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * (c) What the Kochava client and the receiver sustain without Kafka: the same deliverer, with the same settings
 * as the pipeline's, sends the request of every unique interaction (events POSTed, impressions and clicks
 * pinged). At most {@code maxPending} deliveries are outstanding, as the delivery sink bounds its own.
 *
 * <p>It also measures the client's cost: the CPU of its own threads per request (and of the caller's thread, which
 * builds each request and, here, the workload's engagements), and the heap per open connection: the heap in use
 * after a full collection with the connections open and idle in the pool, less the same once the client is closed
 * and the receiver has seen every connection close, over the connections that were open. The receiver runs in the
 * same JVM, so its end of each connection is counted too: an upper bound of the client's share.
 */
final class HttpCeiling {
    /** What the phase measured. */
    record Result(
            Throughput throughput,
            int maxInFlight,
            long failed,
            long retries,
            PositionTally tally,
            long clientCpuNanos,
            long callerCpuNanos,
            long receiverCpuNanos,
            int openConnections,
            long heapWithConnections,
            long heapWithout) {
        /** Microseconds of the client's own threads' CPU per request. */
        double clientCpuMicrosPerRequest() {
            return clientCpuNanos / 1000.0 / throughput.count();
        }

        /** Microseconds of the stand-in receiver's threads' CPU per request ({@link ThreadCpu#RECEIVER_THREADS}). */
        double receiverCpuMicrosPerRequest() {
            return receiverCpuNanos / 1000.0 / throughput.count();
        }

        /** Microseconds of the caller's thread's CPU per request (building requests, and the workload's records). */
        double callerCpuMicrosPerRequest() {
            return callerCpuNanos / 1000.0 / throughput.count();
        }

        /** KiB of heap per open connection, both ends (see the class comment); NaN if none was open. */
        double heapKibPerConnection() {
            return openConnections == 0 ? Double.NaN : (heapWithConnections - heapWithout) / 1024.0 / openConnections;
        }
    }

    private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(15);

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
        DeliveryStatistics statistics = new DeliveryStatistics();
        int connectionsBefore = receiver.transport().openConnections();
        Throughput throughput;
        int maxInFlight;
        long clientCpu;
        long callerCpu;
        long receiverCpu;
        int open;
        long heapWithConnections;
        try (KochavaDeliverer deliverer = new KochavaDeliverer(KochavaClientConfig.from(kochavaConfig), statistics);
                InFlightSampler inFlight = new InFlightSampler(deliverer::inFlight)) {
            long occurredAt = System.currentTimeMillis();
            long start = System.nanoTime();
            long clientCpuBefore = ThreadCpu.nanos(ThreadCpu.KOCHAVA_CLIENT_THREADS);
            long callerCpuBefore = ThreadCpu.currentThreadNanos();
            long receiverCpuBefore = ThreadCpu.nanos(ThreadCpu.RECEIVER_THREADS);
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
            throughput = Throughput.since(workload.uniqueCount(), start);
            clientCpu = ThreadCpu.nanos(ThreadCpu.KOCHAVA_CLIENT_THREADS) - clientCpuBefore;
            callerCpu = ThreadCpu.currentThreadNanos() - callerCpuBefore;
            receiverCpu = ThreadCpu.nanos(ThreadCpu.RECEIVER_THREADS) - receiverCpuBefore;
            tally.awaitAll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            maxInFlight = inFlight.max();
            // The connections stay open and idle in the pool (evicted after 30 s idle).
            open = receiver.transport().openConnections() - connectionsBefore;
            heapWithConnections = MemoryWatch.settledHeapBytes();
        }
        awaitConnectionsClosed(connectionsBefore);
        long heapWithout = MemoryWatch.settledHeapBytes();
        return new Result(
                throughput,
                maxInFlight,
                failed.sum(),
                statistics.retries(),
                tally,
                clientCpu,
                callerCpu,
                receiverCpu,
                open,
                heapWithConnections,
                heapWithout);
    }

    private void awaitConnectionsClosed(int before) throws InterruptedException {
        long deadline = System.nanoTime() + CLOSE_PATIENCE.toNanos();
        while (receiver.transport().openConnections() > before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
