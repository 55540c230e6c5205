package io.kobot.connect.kochava;

import io.kobot.kochava.BodyMode;
import io.kobot.kochava.DeliveryMetrics;
import io.kobot.kochava.DeliveryResult;
import io.kobot.kochava.KochavaDeliverer;
import io.kobot.kochava.Pii;
import io.kobot.schema.Engagement;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

/**
 * Delivers the records of its partitions to Kochava without waiting for them: put() hands every record to the
 * Kochava client, which keeps up to delivery.max-in-flight requests going and retries transient failures, and
 * returns at once. Results come back on the client's threads and queue up for this task's thread, which alone
 * touches the offsets and Connect's context:
 * <ul>
 *   <li>a delivered record is done;</li>
 *   <li>a failed one (REJECTED, RETRIES_EXHAUSTED, or a value that is no Engagement) goes to the errant record
 *       reporter, the dead letter queue, in put() (Connect writes reports before it calls preCommit), and is then
 *       done; without a reporter the task fails and the record stays uncommitted;</li>
 *   <li>preCommit() commits, per partition, up to the lowest record that is not done.</li>
 * </ul>
 * With more than sink.max-pending-records open (an outage) the task pauses its partitions, and resumes them at a
 * later put() or preCommit() once half are done.
 */
public class KochavaSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(KochavaSinkTask.class);

    /** How one record's delivery ended, handed from the client's threads to the task's. */
    private record Completion(SinkRecord record, TopicPartition partition, OffsetTracker.Ticket ticket,
                              String interactionId, DeliveryResult result) {
    }

    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final Queue<Completion> failures = new ArrayDeque<>();
    private final OffsetTracker offsets = new OffsetTracker();
    private KochavaSinkConnectorConfig config;
    private KochavaDeliverer deliverer;
    private RecordDecoder decoder;
    private ErrantRecordReporter reporter;
    private ConnectException fatal;
    private boolean paused;

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
        log.info("Started delivering to {} ({} errant record reporter)", deliverer.config().endpoint(),
            reporter == null ? "without" : "with");
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        takeCompletions();
        settleFailures();
        throwIfFatal();

        // Decode the whole batch before acting on any of it: a RetriableException (registry down) makes Connect
        // put the same batch again, which must find none of it in flight or dead-lettered.
        List<SinkRecord> accepted = new ArrayList<>(records.size());
        List<Engagement> engagements = new ArrayList<>(records.size());
        Map<SinkRecord, DataException> undecodable = new LinkedHashMap<>();
        for (SinkRecord record : records) {
            if (record.value() == null)
                continue; // a tombstone carries nothing to deliver
            try {
                engagements.add(decoder.decode(record));
                accepted.add(record);
            } catch (DataException e) {
                undecodable.put(record, e);
            }
        }
        undecodable.forEach((record, error) -> {
            log.warn("Record {} is not an Engagement: {}", coordinates(record), error.getMessage());
            fail(record, track(record), error);
        });
        throwIfFatal();

        List<CompletableFuture<DeliveryResult>> results = send(engagements);
        for (int i = 0; i < accepted.size(); i++) {
            SinkRecord record = accepted.get(i);
            TopicPartition partition = partitionOf(record);
            OffsetTracker.Ticket ticket = track(record);
            String interactionId = engagements.get(i).getInteractionId();
            // A future that ends exceptionally was aborted by stop(): the record stays open for the next owner.
            results.get(i).thenAccept(result ->
                completions.add(new Completion(record, partition, ticket, interactionId, result)));
        }
        if (!records.isEmpty())
            log.trace("Handed over {} records; {} open", accepted.size(), offsets.open());
        applyBackpressure();
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // Failures are only settled in put(): a report made now might not be written before this commit.
        takeCompletions();
        applyBackpressure();
        return offsets.committable(currentOffsets);
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        offsets.forget(partitions);
    }

    @Override
    public void stop() {
        if (deliverer != null)
            deliverer.close(config.stopTimeout());
        if (decoder != null)
            decoder.close();
        int open = offsets.open();
        if (open > 0)
            log.info("Stopped with {} records not delivered; they stay uncommitted for their partitions' next owner", open);
    }

    private List<CompletableFuture<DeliveryResult>> send(List<Engagement> engagements) {
        if (engagements.isEmpty())
            return List.of();
        if (deliverer.config().bodyMode() == BodyMode.OBJECT)
            return engagements.stream().map(deliverer::deliver).toList();
        // Array mode posts each app's events together; every record of a post shares its result.
        CompletableFuture<List<DeliveryResult>> all = deliverer.deliverAll(engagements);
        return IntStream.range(0, engagements.size()).mapToObj(i -> all.thenApply(list -> list.get(i))).toList();
    }

    private void takeCompletions() {
        Completion completion;
        while ((completion = completions.poll()) != null) {
            if (completion.result().delivered())
                offsets.complete(completion.ticket());
            else
                failures.add(completion);
        }
    }

    private void settleFailures() {
        Completion failure;
        while ((failure = failures.poll()) != null) {
            // A partition closed meanwhile belongs to another task now, which delivers the record again.
            if (!offsets.isCurrent(failure.partition(), failure.ticket()))
                continue;
            DeliveryFailedException error = new DeliveryFailedException(failure.result());
            log.warn("{} (interaction {}): {}", coordinates(failure.record()), failure.interactionId(), error.getMessage());
            fail(failure.record(), failure.ticket(), error);
        }
    }

    /** Dead-letters the record and marks it done, or, with no reporter, keeps it open and dooms the task. */
    private void fail(SinkRecord record, OffsetTracker.Ticket ticket, Exception error) {
        if (reporter == null) {
            if (fatal == null)
                fatal = new ConnectException("Record " + coordinates(record) + " failed permanently and no dead letter "
                    + "queue is configured; set errors.tolerance=all and errors.deadletterqueue.topic.name to "
                    + "dead-letter such records instead of stopping the task", error);
            return;
        }
        reporter.report(record, error);
        offsets.complete(ticket);
    }

    private void throwIfFatal() {
        if (fatal != null)
            throw fatal;
    }

    private void applyBackpressure() {
        int open = offsets.open();
        int limit = config.maxPendingRecords();
        if (!paused && open >= limit) {
            context.pause(context.assignment().toArray(new TopicPartition[0]));
            paused = true;
            log.info("Pausing consumption: {} records not yet delivered (limit {})", open, limit);
        } else if (paused && open <= limit / 2) {
            context.resume(context.assignment().toArray(new TopicPartition[0]));
            paused = false;
            log.info("Resuming consumption: {} records not yet delivered", open);
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
