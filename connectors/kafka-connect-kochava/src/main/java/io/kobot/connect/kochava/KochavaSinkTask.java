package io.kobot.connect.kochava;

import io.kobot.config.UrlCredentials;
import io.kobot.kochava.BodyMode;
import io.kobot.kochava.DeliveryMetrics;
import io.kobot.kochava.DeliveryResult;
import io.kobot.kochava.KochavaDeliverer;
import io.kobot.kochava.Pii;
import io.kobot.schema.Engagement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the records of its partitions to Kochava without waiting for them: put() hands every record to the
 * Kochava client, which keeps up to delivery.max-in-flight requests going and retries transient failures, and
 * returns at once. Results come back on the client's threads and queue up for this task's thread, which alone
 * touches the offsets and Connect's context:
 * <ul>
 *   <li>a delivered record is done;</li>
 *   <li>a failed one (REJECTED, RETRIES_EXHAUSTED, or a value that is no Engagement) goes to the errant record
 *       reporter, the dead letter queue, at the next put() or preCommit(), and is done once the reporter has
 *       acknowledged it (its Future completed); without a reporter the task fails and the record stays
 *       uncommitted;</li>
 *   <li>preCommit() commits, per partition, up to the lowest record that is not done.</li>
 * </ul>
 * The reporter is called on the task's thread only: Connect's WorkerErrantRecordReporter (4.3) keeps the futures it
 * awaits before each commit in per-partition lists that are not safe to add to from other threads. So that a
 * failure still reaches it at once, rather than when the next records or the next offset commit wake the task
 * (offset.flush.interval.ms, 60 s by default), the task asks Connect to poll again within {@value #SETTLE_POLL_MS} ms
 * while any of its records is open. A restart or rebalance after a refusal then re-sends only what was in flight.
 *
 * <p>With more than sink.max-pending-records open, or more than sink.max-pending-bytes of request bodies in the
 * client (an outage), the task pauses its partitions, and resumes them once both are down to half.
 */
public class KochavaSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(KochavaSinkTask.class);

    /** While records are open, the longest Connect's poll may block before the next put(). */
    static final long SETTLE_POLL_MS = 100;
    /**
     * The longest preCommit() waits for dead-letter writes that are not acknowledged yet, like Connect's default
     * offset.flush.timeout.ms. Those still unacknowledged stay open until a later commit.
     */
    private static final Duration REPORT_ACK_TIMEOUT = Duration.ofSeconds(5);

    /** How one record's delivery ended, handed from the client's threads to the task's. */
    private record Completion(
            SinkRecord record,
            TopicPartition partition,
            OffsetTracker.Ticket ticket,
            String interactionId,
            DeliveryResult result) {}

    /** A record handed to the errant record reporter, done once {@code written} completes. */
    private record Report(
            SinkRecord record, TopicPartition partition, OffsetTracker.Ticket ticket, Future<Void> written) {}

    private final Duration reportAckTimeout;
    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final Queue<Report> reports = new ArrayDeque<>();
    private final OffsetTracker offsets = new OffsetTracker();
    private KochavaSinkConnectorConfig config;
    private KochavaDeliverer deliverer;
    private RecordDecoder decoder;
    private ErrantRecordReporter reporter;
    private ConnectException fatal;
    private boolean paused;

    public KochavaSinkTask() {
        this(REPORT_ACK_TIMEOUT);
    }

    KochavaSinkTask(Duration reportAckTimeout) {
        this.reportAckTimeout = reportAckTimeout;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new KochavaSinkConnectorConfig(props);
        decoder = new RecordDecoder(config.registryConfigs());
        Pii.useKey(config.piiMaskKey());
        deliverer = new KochavaDeliverer(config.clientConfig(), DeliveryMetrics.NOOP);
        reporter = errantRecordReporter();
        log.info(
                "Started delivering to {} ({} errant record reporter)",
                UrlCredentials.mask(deliverer.config().endpoint().toString()),
                reporter == null ? "without" : "with");
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        settle(Duration.ZERO);
        throwIfFatal();

        // Decode the whole batch before acting on any of it: a RetriableException (registry down) makes Connect
        // put the same batch again, which must find none of it in flight or dead-lettered.
        List<SinkRecord> accepted = new ArrayList<>(records.size());
        List<Engagement> engagements = new ArrayList<>(records.size());
        Map<SinkRecord, DataException> undecodable = new LinkedHashMap<>();
        for (SinkRecord record : records) {
            if (record.value() == null) continue; // a tombstone carries nothing to deliver
            try {
                engagements.add(decoder.decode(record));
                accepted.add(record);
            } catch (DataException e) {
                undecodable.put(record, e);
            }
        }
        undecodable.forEach((record, error) -> {
            log.warn("Record {} is not an Engagement: {}", coordinates(record), error.getMessage());
            fail(record, partitionOf(record), track(record), error);
        });
        throwIfFatal();

        List<CompletableFuture<DeliveryResult>> results = send(engagements);
        for (int i = 0; i < accepted.size(); i++) {
            SinkRecord record = accepted.get(i);
            TopicPartition partition = partitionOf(record);
            OffsetTracker.Ticket ticket = track(record);
            String interactionId = engagements.get(i).getInteractionId();
            // A future that ends exceptionally was aborted by stop(): the record stays open for the next owner.
            results.get(i)
                    .thenAccept(result ->
                            completions.add(new Completion(record, partition, ticket, interactionId, result)));
        }
        if (!records.isEmpty()) log.trace("Handed over {} records; {} open", accepted.size(), offsets.open());
        applyBackpressure();
        pollSoonWhileOpen();
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // Connect awaited the reports made in put() before calling this; failures known since are reported now
        // and waited for here, so that this commit (perhaps the last before a restart or rebalance) passes them.
        settle(reportAckTimeout);
        applyBackpressure();
        pollSoonWhileOpen();
        return offsets.committable(currentOffsets);
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        offsets.forget(partitions);
    }

    @Override
    public void stop() {
        if (deliverer != null) deliverer.close(config.stopTimeout());
        if (decoder != null) decoder.close();
        int open = offsets.open();
        if (open > 0)
            log.info(
                    "Stopped with {} records not delivered; they stay uncommitted for their partitions' next owner",
                    open);
    }

    private List<CompletableFuture<DeliveryResult>> send(List<Engagement> engagements) {
        if (engagements.isEmpty()) return List.of();
        if (deliverer.config().bodyMode() == BodyMode.OBJECT)
            return engagements.stream().map(deliverer::deliver).toList();
        // Array mode posts each app's events together; every record of a post shares its result.
        CompletableFuture<List<DeliveryResult>> all = deliverer.deliverAll(engagements);
        return IntStream.range(0, engagements.size())
                .mapToObj(i -> all.thenApply(list -> list.get(i)))
                .toList();
    }

    /**
     * Takes the results that came back: a delivered record is done, a failed one goes to the reporter. Then marks
     * done the reported records whose report is acknowledged, waiting up to {@code ackTimeout} for them.
     */
    private void settle(Duration ackTimeout) {
        Completion completion;
        while ((completion = completions.poll()) != null) {
            // A partition closed meanwhile belongs to another task now, which delivers the record again.
            if (!offsets.isCurrent(completion.partition(), completion.ticket())) continue;
            if (completion.result().delivered()) {
                offsets.complete(completion.ticket());
            } else {
                DeliveryFailedException error = new DeliveryFailedException(completion.result());
                log.warn(
                        "{} (interaction {}): {}",
                        coordinates(completion.record()),
                        completion.interactionId(),
                        error.getMessage());
                fail(completion.record(), completion.partition(), completion.ticket(), error);
            }
        }
        acknowledgeReports(ackTimeout);
    }

    /** Dead-letters the record, done once acknowledged, or, with no reporter, keeps it open and dooms the task. */
    private void fail(SinkRecord record, TopicPartition partition, OffsetTracker.Ticket ticket, Exception error) {
        if (reporter == null) {
            if (fatal == null)
                fatal = new ConnectException(
                        "Record " + coordinates(record) + " failed permanently and no dead letter "
                                + "queue is configured; set errors.tolerance=all and errors.deadletterqueue.topic.name to "
                                + "dead-letter such records instead of stopping the task",
                        error);
            return;
        }
        try {
            reports.add(new Report(record, partition, ticket, reporter.report(record, error)));
        } catch (ConnectException e) {
            // errors.tolerance=none with a DLQ or errors.log.enable: Connect refuses it ("Tolerance exceeded"), and
            // the record stays open, as without a reporter.
            if (fatal == null) fatal = e;
        }
    }

    private void acknowledgeReports(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Iterator<Report> pending = reports.iterator(); pending.hasNext(); ) {
            Report report = pending.next();
            if (!offsets.isCurrent(report.partition(), report.ticket())) {
                pending.remove();
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 && !report.written().isDone()) continue; // stays open; a later commit passes it
            try {
                report.written().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                continue; // stays open; a later commit passes it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                throw new ConnectException(
                        "Could not write record " + coordinates(report.record()) + " to the dead letter queue",
                        e.getCause());
            }
            offsets.complete(report.ticket());
            pending.remove();
        }
    }

    /** Connect blocks in poll until records arrive or a commit is due; failures must not wait that long. */
    private void pollSoonWhileOpen() {
        if (offsets.open() > 0) context.timeout(SETTLE_POLL_MS);
    }

    private void throwIfFatal() {
        if (fatal != null) throw fatal;
    }

    /**
     * Pauses every partition at either bound and resumes once both are down to half. Checked after each put(), so
     * a bound can be passed by one put()'s batch (consumer max.poll.records); blocking in put() instead would hold
     * the task's thread, which must keep polling to stay in the group and to report failures.
     */
    private void applyBackpressure() {
        int open = offsets.open();
        long bytes = deliverer.pendingBytes();
        int limit = config.maxPendingRecords();
        long bytesLimit = config.maxPendingBytes();
        if (!paused && (open >= limit || bytes >= bytesLimit)) {
            context.pause(context.assignment().toArray(new TopicPartition[0]));
            paused = true;
            log.info(
                    "Pausing consumption: {} records ({} bytes of requests) not yet delivered (limits {}, {} bytes)",
                    open,
                    bytes,
                    limit,
                    bytesLimit);
        } else if (paused && open <= limit / 2 && bytes <= bytesLimit / 2) {
            context.resume(context.assignment().toArray(new TopicPartition[0]));
            paused = false;
            log.info("Resuming consumption: {} records ({} bytes of requests) not yet delivered", open, bytes);
        }
    }

    private OffsetTracker.Ticket track(SinkRecord record) {
        return offsets.track(partitionOf(record), record.originalKafkaOffset());
    }

    /** Connect commits by the partition the record was read from, whatever an SMT made of its topic. */
    private static TopicPartition partitionOf(SinkRecord record) {
        return new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
    }

    private static String coordinates(SinkRecord record) {
        return record.originalTopic() + "-" + record.originalKafkaPartition() + "@" + record.originalKafkaOffset();
    }

    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            // A worker older than Kafka 2.6 has no reporter: permanent failures then stop the task.
            return null;
        }
    }
}
