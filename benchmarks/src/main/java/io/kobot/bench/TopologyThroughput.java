package io.kobot.bench;

import io.kobot.devstack.sample.Interactions;
import io.kobot.devstack.sample.Publisher;
import io.kobot.streams.topology.EngagementSink;
import io.kobot.streams.topology.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * (b) The topology alone: ingest, dedup and enrich with exactly_once_v2, writing {@code bot.engagements} and
 * delivering nothing; timed from RUNNING until a read_committed reader has seen every unique engagement.
 */
final class TopologyThroughput {
    /** What the phase measured, and the state it left on disk. */
    record Result(
            Throughput throughput,
            long engagements,
            long stateBytes,
            long streamThreadCpuNanos,
            ProducedBytes written) {
        /** Microseconds of stream-thread CPU per record read. */
        double cpuMicrosPerRecord() {
            return streamThreadCpuNanos / 1000.0 / throughput.count();
        }
    }

    private final String bootstrapServers;
    private final Publisher publisher;
    private final Interactions workload;
    private final int threads;

    TopologyThroughput(String bootstrapServers, Publisher publisher, Interactions workload, int threads) {
        this.bootstrapServers = bootstrapServers;
        this.publisher = publisher;
        this.workload = workload;
        this.threads = threads;
    }

    Result run(TopicNames topics, Path stateDir, int links, Duration timeout) throws Exception {
        int records = workload.positions();
        try (CommittedCounter engagements =
                new CommittedCounter(bootstrapServers, topics.engagements(), workload.uniqueCount())) {
            long start;
            long end;
            long cpu;
            ProducedBytes written;
            try (PipelineRun run = PipelineRun.start(
                    bootstrapServers, "bench-topology", topics, EngagementSink.NONE, stateDir, threads, links)) {
                run.pause();
                publisher.publish(topics.interactions(), workload.records(topics.interactions(), 0, records / 2));
                run.resume();
                start = System.nanoTime();
                long cpuBefore = ThreadCpu.nanos(ThreadCpu.STREAM_THREADS);
                ProducedBytes writtenBefore = run.producedBytes();
                CompletableFuture<Void> rest = publisher.publishInBackground(
                        topics.interactions(), workload.records(topics.interactions(), records / 2, records));
                end = engagements.awaitExpected(timeout);
                cpu = ThreadCpu.nanos(ThreadCpu.STREAM_THREADS) - cpuBefore;
                rest.join();
                // Extra engagements (duplicates let through) would show up shortly after.
                Thread.sleep(1_000);
                // After the last commit: every write the input caused, the transactions' markers included.
                written = run.producedBytes().minus(writtenBefore);
            }
            // Measured once closed, when RocksDB has flushed its memtables to disk.
            return new Result(
                    new Throughput(records, end - start), engagements.count(), DiskUsage.of(stateDir), cpu, written);
        }
    }
}
