package io.kobot.streams.app.replay;

import io.kobot.registry.SchemaRegistryException;
import io.kobot.registry.SchemaRegistryUnavailableException;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.DeadLetter;
import io.kobot.streams.replay.ReplayMarker;
import io.kobot.streams.topology.PipelineSerdes;
import io.kobot.streams.topology.TopicNames;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays dead letters to the topics the pipeline reads (see {@link ReplayRecords}), so that each is processed
 * like a new record, delivery included.
 *
 * <p><b>Resumable, exactly once per replay name.</b> It reads the dead-letter topic as the consumer group
 * {@code <application.id>-replay-<name>}, from that group's committed offsets (the beginning the first time), up
 * to the end offsets taken when it starts (dead letters written meanwhile, e.g. by replayed records that failed
 * again, wait for the next run). Replayed records and the group's offsets are committed in one transaction
 * (transactional id {@code <application.id>-replay-<name>}, which also fences a second run of the same name), so
 * an interrupted run, resumed, neither skips nor re-sends a dead letter. A run under another name starts from the
 * beginning again, and dedup drops what was replayed already (see {@link ReplayMarker}).
 *
 * <p>A dry run reads the same records without writing or committing anything and counts them.
 */
public final class DeadLetterReplay {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplay.class);
    private static final Duration POLL = Duration.ofMillis(500);

    /**
     * @param maxRecords       stop after replaying this many (the rest is left for the next run); {@code Long.MAX_VALUE}
     *                         for no limit
     * @param recordsPerSecond the rate at which records are sent
     * @param progressInterval how often progress is printed
     */
    public record Options(
            ReplayFilter filter, boolean dryRun, double recordsPerSecond, long maxRecords, Duration progressInterval) {}

    private final String deadLetterTopic;
    private final String groupId;
    private final ReplayClients clients;
    private final PipelineSerdes serdes;
    private final TopicNames topics;
    private final String applicationId;

    /** @param serdes the command's serdes, which it closes after the replay */
    public DeadLetterReplay(TopicNames topics, String applicationId, PipelineSerdes serdes, ReplayClients clients) {
        this.topics = topics;
        this.applicationId = applicationId;
        this.deadLetterTopic = topics.deadLetters();
        this.groupId = clients.groupId();
        this.serdes = serdes;
        this.clients = clients;
    }

    public ReplayReport run(Options options, PrintWriter out) {
        ReplayReport report = new ReplayReport();
        ReplayRecords records = new ReplayRecords(topics, applicationId, serdes);
        SpecificAvroSerde<DeadLetter> serde = serdes.deadLetter();
        try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer();
                KafkaProducer<byte[], byte[]> producer = options.dryRun() ? null : clients.transactionalProducer()) {
            List<TopicPartition> partitions = partitions(consumer);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            seekToCommitted(consumer, partitions);
            out.printf(
                    "%s %s (consumer group %s): from %s to %s%n",
                    options.dryRun() ? "Dry run over" : "Replaying",
                    deadLetterTopic,
                    groupId,
                    positions(consumer, partitions),
                    end);
            out.flush();
            if (producer != null) {
                producer.initTransactions();
            }
            RateLimiter rate = new RateLimiter(options.recordsPerSecond());
            long lastProgress = System.nanoTime();
            boolean stopped = false;
            while (!stopped && !atEnd(consumer, partitions, end)) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                if (producer != null) {
                    producer.beginTransaction();
                }
                for (TopicPartition partition : batch.partitions()) {
                    long endOffset = end.get(partition);
                    Long next = null;
                    boolean complete = true;
                    for (ConsumerRecord<byte[], byte[]> record : batch.records(partition)) {
                        if (record.offset() >= endOffset) {
                            break; // written after the start: for the next run
                        }
                        if (report.takenCount() >= options.maxRecords()) {
                            complete = false;
                            stopped = true;
                            break;
                        }
                        handle(record, serde, records, report, options, producer, rate);
                        next = record.offset() + 1;
                    }
                    if (complete) {
                        offsets.put(
                                partition, new OffsetAndMetadata(Math.min(consumer.position(partition), endOffset)));
                    } else if (next != null) {
                        offsets.put(partition, new OffsetAndMetadata(next));
                    }
                }
                if (producer != null) {
                    if (!offsets.isEmpty()) {
                        producer.sendOffsetsToTransaction(offsets, new ConsumerGroupMetadata(groupId));
                    }
                    producer.commitTransaction();
                }
                if (System.nanoTime() - lastProgress
                        >= options.progressInterval().toNanos()) {
                    lastProgress = System.nanoTime();
                    out.printf(
                            "... scanned %d, %s %d%n",
                            report.scannedCount(), options.dryRun() ? "would replay" : "replayed", report.takenCount());
                    out.flush();
                }
            }
            printSummary(out, options, report, stopped);
        }
        return report;
    }

    private void handle(
            ConsumerRecord<byte[], byte[]> record,
            SpecificAvroSerde<DeadLetter> serde,
            ReplayRecords records,
            ReplayReport report,
            Options options,
            KafkaProducer<byte[], byte[]> producer,
            RateLimiter rate) {
        report.scanned();
        DeadLetter deadLetter;
        try {
            deadLetter = serde.deserializer().deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            rethrowRegistryFailure(e);
            report.notReplayable("not a readable DeadLetter");
            return;
        }
        if (deadLetter == null) {
            report.notReplayable("tombstone");
            return;
        }
        Optional<String> exclusion = options.filter().exclusion(deadLetter);
        if (exclusion.isPresent()) {
            report.excluded(exclusion.get());
            return;
        }
        ReplayRecords.Result result;
        try {
            result = records.toRecord(
                    deadLetter, ReplayMarker.coordinates(record.topic(), record.partition(), record.offset()));
        } catch (RuntimeException e) {
            rethrowRegistryFailure(e);
            log.debug(
                    "Cannot rebuild the record of dead letter {}-{}@{}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e);
            report.notReplayable("original bytes cannot be read");
            return;
        }
        if (result instanceof ReplayRecords.NotReplayable notReplayable) {
            report.notReplayable(notReplayable.why());
            return;
        }
        report.taken(deadLetter.getReasonCode(), deadLetter.getKochavaAppId());
        if (producer != null) {
            rate.acquire();
            producer.send(((ReplayRecords.Replay) result).record());
        }
    }

    private static void rethrowRegistryFailure(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryUnavailableException || t instanceof SchemaRegistryException) {
                throw e; // not the dead letter's fault: stop, and resume later from the last commit
            }
        }
    }

    private void printSummary(PrintWriter out, Options options, ReplayReport report, boolean stopped) {
        out.printf(
                "%s: scanned %d dead letters, %s %d%n",
                options.dryRun() ? "Dry run" : "Replay",
                report.scannedCount(),
                options.dryRun() ? "would replay" : "replayed",
                report.takenCount());
        report.printTable(out, options.dryRun() ? "would replay" : "replayed");
        if (stopped) {
            out.printf("Stopped after --max-records %d; run the same command again to resume.%n", options.maxRecords());
        } else if (!options.dryRun()) {
            out.println("Reached the end of " + deadLetterTopic + " as of the start; progress is committed under "
                    + groupId + ".");
        }
        out.flush();
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(deadLetterTopic);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("The dead-letter topic " + deadLetterTopic + " does not exist");
        }
        List<TopicPartition> partitions = infos.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        return partitions;
    }

    private static void seekToCommitted(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
    }

    private static Map<TopicPartition, Long> positions(
            KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        partitions.forEach(partition -> positions.put(partition, consumer.position(partition)));
        return positions;
    }

    private static boolean atEnd(
            KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
        return partitions.stream().allMatch(partition -> consumer.position(partition) >= end.get(partition));
    }

    /** Spaces sends evenly at the given rate. */
    private static final class RateLimiter {
        private final long intervalNanos;
        private long next = System.nanoTime();

        RateLimiter(double perSecond) {
            this.intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
        }

        void acquire() {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted during a replay", e);
                }
            }
            next = Math.max(next, System.nanoTime() - intervalNanos) + intervalNanos;
        }
    }
}
