package io.kobot.bench;

import io.kobot.devstack.kochava.KochavaStandIn;
import io.kobot.devstack.kochava.PositionTally;
import io.kobot.devstack.sample.Interactions;
import io.kobot.devstack.sample.Publisher;
import io.kobot.devstack.sample.SampleRecord;
import io.kobot.streams.topology.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * (d) The whole pipeline, the topology with the Kochava delivery sink, against the loopback Kochava stand-in: flat out,
 * timed from RUNNING until the receiver has seen every unique interaction; and at a fixed offered load, for the
 * latency from publish (the record's timestamp, which becomes ingested_at) to receipt.
 */
final class EndToEnd {
    /** What the flat-out run measured. */
    record Result(
            Throughput throughput,
            PositionTally tally,
            int maxInFlight,
            long requests,
            long retries,
            long stateBytes,
            long streamThreadCpuNanos,
            ProducedBytes written,
            long clientCpuNanos,
            long receiverCpuNanos) {
        /** Microseconds of stream-thread CPU per record read (delivery sink and outbox included). */
        double cpuMicrosPerRecord() {
            return streamThreadCpuNanos / 1000.0 / throughput.count();
        }

        /** Microseconds of the Kochava client's own threads' CPU per request ({@link ThreadCpu}). */
        double clientCpuMicrosPerRequest() {
            return clientCpuNanos / 1000.0 / Math.max(1, requests);
        }

        /** Microseconds of the stand-in receiver's threads' CPU per request ({@link ThreadCpu#RECEIVER_THREADS}). */
        double receiverCpuMicrosPerRequest() {
            return receiverCpuNanos / 1000.0 / Math.max(1, requests);
        }
    }

    /** Latency percentiles in milliseconds, over the unique interactions that arrived. */
    record Latency(int perSecond, int seconds, long p50, long p95, long p99, long max, PositionTally tally) {}

    private final String bootstrapServers;
    private final KochavaStandIn receiver;
    private final Map<String, Object> kochavaConfig;
    private final int threads;

    EndToEnd(String bootstrapServers, KochavaStandIn receiver, Map<String, Object> kochavaConfig, int threads) {
        this.bootstrapServers = bootstrapServers;
        this.receiver = receiver;
        this.kochavaConfig = kochavaConfig;
        this.threads = threads;
    }

    Result flatOut(
            Interactions workload, Publisher publisher, TopicNames topics, Path stateDir, int links, Duration timeout)
            throws Exception {
        return flatOut("bench-end-to-end", workload, publisher, topics, stateDir, links, timeout);
    }

    /** As {@link #flatOut}, as an application of its own: the JIT warm-up before the measured phases. */
    Result warmUp(
            Interactions workload, Publisher publisher, TopicNames topics, Path stateDir, int links, Duration timeout)
            throws Exception {
        return flatOut("bench-warm-up", workload, publisher, topics, stateDir, links, timeout);
    }

    private Result flatOut(
            String applicationId,
            Interactions workload,
            Publisher publisher,
            TopicNames topics,
            Path stateDir,
            int links,
            Duration timeout)
            throws Exception {
        int records = workload.positions();
        PositionTally tally = new PositionTally(records, workload.uniqueCount());
        receiver.countInto(tally);
        Throughput throughput;
        long cpu;
        ProducedBytes written;
        long clientCpu;
        long receiverCpu;
        try (Delivery delivery = new Delivery(kochavaConfig)) {
            try (PipelineRun run = PipelineRun.start(
                    bootstrapServers, applicationId, topics, delivery.sink(topics), stateDir, threads, links)) {
                run.pause();
                publisher.publish(topics.interactions(), workload.records(topics.interactions(), 0, records / 2));
                run.resume();
                long start = System.nanoTime();
                long cpuBefore = ThreadCpu.nanos(ThreadCpu.STREAM_THREADS);
                long clientCpuBefore = ThreadCpu.nanos(ThreadCpu.KOCHAVA_CLIENT_THREADS);
                long receiverCpuBefore = ThreadCpu.nanos(ThreadCpu.RECEIVER_THREADS);
                ProducedBytes writtenBefore = run.producedBytes();
                CompletableFuture<Void> rest = publisher.publishInBackground(
                        topics.interactions(), workload.records(topics.interactions(), records / 2, records));
                tally.awaitAll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                throughput = Throughput.since(records, start);
                cpu = ThreadCpu.nanos(ThreadCpu.STREAM_THREADS) - cpuBefore;
                clientCpu = ThreadCpu.nanos(ThreadCpu.KOCHAVA_CLIENT_THREADS) - clientCpuBefore;
                receiverCpu = ThreadCpu.nanos(ThreadCpu.RECEIVER_THREADS) - receiverCpuBefore;
                rest.join();
                // Duplicate deliveries, if any, would arrive shortly after.
                Thread.sleep(1_000);
                // After the last commit: every write the input caused, the outbox's completions included.
                written = run.producedBytes().minus(writtenBefore);
            }
            // Measured once closed, when RocksDB has flushed its memtables to disk.
            return new Result(
                    throughput,
                    tally,
                    delivery.maxInFlight(),
                    delivery.statistics().requests(),
                    delivery.statistics().retries(),
                    DiskUsage.of(stateDir),
                    cpu,
                    written,
                    clientCpu,
                    receiverCpu);
        }
    }

    Latency atFixedRate(
            Interactions workload,
            Publisher publisher,
            TopicNames topics,
            Path stateDir,
            int links,
            int perSecond,
            Duration timeout)
            throws Exception {
        int records = workload.positions();
        PositionTally tally = new PositionTally(records, workload.uniqueCount());
        receiver.countInto(tally);
        long[] publishedAt = new long[records];
        try (Delivery delivery = new Delivery(kochavaConfig);
                PipelineRun ignored = PipelineRun.start(
                        bootstrapServers, "bench-latency", topics, delivery.sink(topics), stateDir, threads, links)) {
            publisher
                    .publishAtRate(
                            topics.interactions(),
                            stamping(workload.records(topics.interactions()), publishedAt),
                            perSecond)
                    .join();
            tally.awaitAll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        long[] latencies = new long[workload.uniqueCount()];
        int arrived = 0;
        for (int position = 0; position < records; position++) {
            long receivedAt = tally.firstReceivedAt(position);
            if (workload.isOriginal(position) && receivedAt > 0) {
                latencies[arrived++] = Math.max(0, receivedAt - publishedAt[position]);
            }
        }
        long[] sorted = Arrays.copyOf(latencies, arrived);
        Arrays.sort(sorted);
        return new Latency(
                perSecond,
                records / perSecond,
                percentile(sorted, 0.50),
                percentile(sorted, 0.95),
                percentile(sorted, 0.99),
                arrived == 0 ? -1 : sorted[arrived - 1],
                tally);
    }

    /**
     * Passes the records on, noting when each was made, as it is sent: its record timestamp and occurred_at, the
     * start of its latency.
     */
    private static Iterator<SampleRecord> stamping(Iterator<SampleRecord> records, long[] publishedAt) {
        return new Iterator<>() {
            private int position;

            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public SampleRecord next() {
                SampleRecord record = records.next();
                publishedAt[position++] = record.timestampMillis();
                return record;
            }
        };
    }

    private static long percentile(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return -1;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)];
    }
}
