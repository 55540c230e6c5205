package io.kobot.streams.deliver;

import io.kobot.kochava.DeliveryResult;
import io.kobot.kochava.KochavaClientConfig;
import io.kobot.kochava.KochavaDeliverer;
import io.kobot.kochava.Pii;
import io.kobot.registry.SchemaRegistryException;
import io.kobot.registry.SchemaRegistryUnavailableException;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.schema.EngagementDelivery;
import io.kobot.schema.IdentityLink;
import io.kobot.streams.replay.ReplayMarker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream-thread side of {@link KochavaDeliverySink} for one task; see there for the design. Everything here
 * runs on the task's stream thread except the completion callbacks, which only enqueue.
 *
 * <p>Bookkeeping: outbox keys are a per-task sequence. Keys below {@code cursor} are in memory ({@code held}: in
 * the open batch or in delivery), queued to be read again ({@code returned}), or done and deleted; keys from
 * {@code cursor} on wait on disk only, and are read back in order when completions make room. Every step keeps
 * this true even when it throws, so that nothing is stranded below the cursor or skipped.
 */
final class DeliveryProcessor implements Processor<byte[], DeliveryItem, byte[], DeliveryOutput> {
    private static final Logger log = LoggerFactory.getLogger(DeliveryProcessor.class);
    private static final long BLOCK_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final Duration MAX_PUNCTUATE_INTERVAL = Duration.ofMillis(100);

    private final DeliverySettings settings;
    private final KochavaDeliverer deliverer;
    private final DeliveryStatistics statistics;
    private final Serde<Engagement> engagementSerde;
    private final String engagementsTopic;
    private final Serde<IdentityLink> linkSerde;
    private final String identityLinksTopic;
    private final ThreadLocal<BlockingBudget> budgets;
    private final DeliveryGate gate;

    private ProcessorContext<byte[], DeliveryOutput> context;
    private KeyValueStore<Long, OutboxEntry> outbox;
    private BlockingBudget budget;
    private Cancellable punctuator;
    /** Replaced on every init, so that completions of a previous incarnation of the task are never applied. */
    private BlockingQueue<Completion> completions;
    /** Completions whose outcome could not be written yet (an exception); applied again before new ones. */
    private final Deque<Completion> deferred = new ArrayDeque<>();

    private final List<Pending> batch = new ArrayList<>();
    /** Dispatched and not completed yet, by sequence: what {@link #close()} cancels. */
    private final Map<Long, CompletableFuture<DeliveryResult>> inDelivery = new HashMap<>();
    /** Below the cursor, but to be read from the outbox again (their delivery ended without a result). */
    private final NavigableSet<Long> returned = new TreeSet<>();

    private long batchBytes;
    private long batchOpenedAt;
    private long nextSequence;
    private long cursor;
    private long outboxSize;
    /** Engagements in the open batch or in delivery. */
    private int pending;
    /** Outcomes written since the last input record: backpressure lets one record in per completion. */
    private long completedSinceRecord;
    /** Their serialized size. */
    private long pendingBytes;

    private boolean closed;

    DeliveryProcessor(
            DeliverySettings settings,
            KochavaDeliverer deliverer,
            DeliveryStatistics statistics,
            Serde<Engagement> engagementSerde,
            String engagementsTopic,
            Serde<IdentityLink> linkSerde,
            String identityLinksTopic,
            ThreadLocal<BlockingBudget> budgets,
            DeliveryGate gate) {
        this.settings = settings;
        this.deliverer = deliverer;
        this.statistics = statistics;
        this.engagementSerde = engagementSerde;
        this.engagementsTopic = engagementsTopic;
        this.linkSerde = linkSerde;
        this.identityLinksTopic = identityLinksTopic;
        this.budgets = budgets;
        this.gate = gate;
    }

    /** An engagement or a link held in memory, with its outbox key. */
    private record Pending(long sequence, OutboxEntry entry, DeliveryItem item) {
        long bytes() {
            return entry.payload().length;
        }
    }

    /** One engagement's result, or the error that ended its delivery; built on an HTTP thread. */
    private record Completion(Pending pending, DeliveryResult result, Throwable error) {}

    @Override
    public void init(ProcessorContext<byte[], DeliveryOutput> context) {
        this.context = context;
        this.outbox = context.getStateStore(KochavaDeliverySink.OUTBOX_STORE);
        if (budgets.get() == null) {
            budgets.set(BlockingBudget.forStreamsConfig(context.appConfigs(), settings.backpressureMaxBlock()));
        }
        this.budget = budgets.get();
        this.completions = new LinkedBlockingQueue<>();
        this.deferred.clear();
        this.batch.clear();
        this.inDelivery.clear();
        this.returned.clear();
        this.batchBytes = 0;
        this.pending = 0;
        this.pendingBytes = 0;
        this.completedSinceRecord = 0;
        this.closed = false;
        restoreBookkeeping();
        Duration interval = settings.batchLinger().dividedBy(2);
        interval = interval.compareTo(MAX_PUNCTUATE_INTERVAL) > 0
                ? MAX_PUNCTUATE_INTERVAL
                : interval.isZero() ? Duration.ofMillis(1) : interval;
        this.punctuator = context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    /** Everything in the outbox after a restart or a rebalance is undelivered as far as we know: send it again. */
    private void restoreBookkeeping() {
        long count = 0;
        Long first = null;
        Long last = null;
        // Keys only: a corrupt value is dealt with when refill reaches it.
        try (KeyValueIterator<Long, OutboxEntry> all = outbox.all()) {
            while (all.hasNext()) {
                long key = all.peekNextKey();
                all.next();
                first = first == null ? key : first;
                last = key;
                count++;
            }
        }
        cursor = first == null ? 0 : first;
        nextSequence = last == null ? 0 : last + 1;
        outboxSize = count;
        statistics.outboxChanged(count);
        if (count > 0) {
            statistics.restoredForRedelivery(count);
            log.info(
                    "Task {}: {} engagements were left in the outbox (crash or rebalance); sending them again",
                    context.taskId(),
                    count);
        }
    }

    @Override
    public void process(Record<byte[], DeliveryItem> record) {
        drainCompletions();
        awaitRoomInOutbox();
        DeliveryItem item = record.value();
        String replayOf = ReplayMarker.replayOf(record.headers());
        int replayCount = ReplayMarker.replayCount(record.headers());
        byte[] bytes;
        OutboxEntry entry;
        if (item.isLink()) {
            bytes = linkSerde.serializer().serialize(identityLinksTopic, item.link());
            entry = OutboxEntry.identityLink(record.key(), record.timestamp(), bytes, replayOf, replayCount);
        } else {
            bytes = engagementSerde.serializer().serialize(engagementsTopic, item.engagement());
            entry = new OutboxEntry(record.key(), record.timestamp(), bytes, replayOf, replayCount);
        }
        long sequence = nextSequence;
        // Durable before anything is sent: under exactly-once this write commits with the input offset.
        outbox.put(sequence, entry);
        nextSequence++;
        outboxSize++;
        statistics.outboxChanged(1);
        if (cursor == sequence && returned.isEmpty() && hasRoomFor(bytes.length)) {
            cursor++;
            addToBatch(new Pending(sequence, entry, item));
        }
    }

    private void punctuate(long now) {
        budget.replenish();
        drainCompletions();
        if (!batch.isEmpty() && now - batchOpenedAt >= settings.batchLinger().toMillis()) {
            dispatch();
        }
    }

    /** Within {@code delivery.max-pending} and {@code delivery.max-pending-bytes}; one engagement always fits. */
    private boolean hasRoomFor(long bytes) {
        return pending == 0 || pending < settings.maxPending() && pendingBytes + bytes <= settings.maxPendingBytes();
    }

    private void addToBatch(Pending next) {
        if (batch.isEmpty()) {
            batchOpenedAt = context.currentSystemTimeMs();
        }
        batch.add(next);
        batchBytes += next.bytes();
        hold(next, 1);
        if (batch.size() >= settings.batchMaxEvents()
                || batchBytes >= settings.batchMaxBytes()
                || settings.batchLinger().isZero()) {
            dispatch();
        }
    }

    private void hold(Pending one, int sign) {
        pending += sign;
        pendingBytes += sign * one.bytes();
        statistics.pendingChanged(sign);
    }

    /**
     * Sends the open batch, one future per engagement, so that each outcome is written as soon as it is known.
     * Once shutdown has closed the gate nothing more is sent: the batch stays in memory, and in the outbox.
     */
    private void dispatch() {
        if (batch.isEmpty() || closed || !gate.isOpen()) {
            return;
        }
        List<Pending> sent = List.copyOf(batch);
        List<CompletableFuture<DeliveryResult>> results;
        try {
            results = deliver(sent);
        } catch (IllegalStateException e) {
            // The deliverer closed between the gate check and the call (shutdown): keep the batch, like above.
            return;
        }
        batch.clear();
        batchBytes = 0;
        gate.dispatched(sent.size());
        BlockingQueue<Completion> queue = completions;
        for (int i = 0; i < sent.size(); i++) {
            Pending one = sent.get(i);
            CompletableFuture<DeliveryResult> result = results.get(i);
            inDelivery.put(one.sequence(), result);
            result.whenComplete((done, error) -> queue.add(new Completion(one, done, error)));
        }
    }

    /** One future per item, in order: engagements in one call (array mode batches them), links one by one. */
    private List<CompletableFuture<DeliveryResult>> deliver(List<Pending> sent) {
        List<Engagement> engagements = new ArrayList<>(sent.size());
        for (Pending one : sent) {
            if (!one.item().isLink()) {
                engagements.add(one.item().engagement());
            }
        }
        List<CompletableFuture<DeliveryResult>> engagementResults =
                engagements.isEmpty() ? List.of() : deliverer.deliverEach(engagements);
        List<CompletableFuture<DeliveryResult>> results = new ArrayList<>(sent.size());
        int next = 0;
        for (Pending one : sent) {
            IdentityLink link = one.item().link();
            results.add(
                    link == null ? engagementResults.get(next++) : deliverer.deliverIdentityLink(appOf(link), link));
        }
        return results;
    }

    /**
     * The app a link is forwarded for: its own, else {@code kochava.identity-link.default-app-id}; null when links
     * are not forwarded (any more) or there is no app.
     */
    private String appOf(IdentityLink link) {
        if (!deliverer.config().forwardIdentityLinks()) {
            return null;
        }
        String own = link.getKochavaAppId();
        return own == null || own.isBlank() ? deliverer.config().identityLinkDefaultAppId() : own;
    }

    /**
     * Reads waiting entries back from disk, in sequence order, as far as there is room in memory. The cursor moves
     * past an entry only once it is in memory or dead-lettered; an entry that cannot be read is dead-lettered with
     * its bytes, and a schema registry failure stops the refill until the next try.
     */
    private void refill() {
        if (closed || !gate.isOpen()) {
            return;
        }
        int before = batch.size();
        while (!returned.isEmpty() && hasRoomFor(0)) {
            long sequence = returned.first();
            OutboxEntry entry = outbox.get(sequence);
            if (entry != null && !load(sequence, entry)) {
                break;
            }
            returned.pollFirst();
        }
        if (returned.isEmpty() && cursor < nextSequence && hasRoomFor(0)) {
            try (KeyValueIterator<Long, OutboxEntry> waiting = outbox.range(cursor, null)) {
                boolean stopped = false;
                while (!stopped && hasRoomFor(0) && waiting.hasNext()) {
                    long sequence = waiting.peekNextKey();
                    stopped = !load(sequence, waiting.next().value);
                    if (!stopped) {
                        cursor = sequence + 1;
                    }
                }
                if (!stopped && !waiting.hasNext()) {
                    cursor = nextSequence;
                }
            }
        }
        if (batch.size() > before) {
            // These have waited on disk already: no lingering.
            dispatch();
        }
    }

    /** Batches one entry read from disk, or dead-letters it; false when it must be tried again later. */
    private boolean load(long sequence, OutboxEntry entry) {
        DeliveryItem item = null;
        RuntimeException failure = null;
        if (entry.readable()) {
            try {
                item = read(entry);
            } catch (RuntimeException e) {
                if (isRegistryFailure(e)) {
                    log.warn(
                            "Task {}: schema registry failure reading the outbox; trying again later ({})",
                            context.taskId(),
                            e.toString());
                    return false;
                }
                failure = e;
            }
        }
        if (item == null) {
            String reason = failure == null ? "the entry's bytes could not be parsed" : failure.toString();
            log.error(
                    "Task {}: outbox entry {} is unreadable ({}); dead-lettered with its bytes",
                    context.taskId(),
                    sequence,
                    reason);
            DeadLetter deadLetter = DeliveryDeadLetters.unreadable(
                    entry, reason, topicOf(entry), Instant.ofEpochMilli(context.currentSystemTimeMs()));
            context.forward(new Record<>(
                    entry.key(),
                    new DeliveryOutput(null, deadLetter),
                    entry.readable() ? entry.timestamp() : context.currentSystemTimeMs()));
            removeFromOutbox(sequence);
            statistics.unreadableEntry();
            return true;
        }
        if (item.isLink() && appOf(item.link()) == null) {
            notForwarded(sequence, entry);
            return true;
        }
        addToBatch(new Pending(sequence, entry, item));
        return true;
    }

    /**
     * A link queued while forwarding was on, read back after a restart with it off: dead-lettered rather than
     * sent against the switch or left to block the outbox.
     */
    private void notForwarded(long sequence, OutboxEntry entry) {
        String why = "an identity link queued for Kochava, found in the outbox with "
                + KochavaClientConfig.FORWARD_IDENTITY_LINKS + "=false or without "
                + KochavaClientConfig.IDENTITY_LINK_DEFAULT_APP_ID + "; replay it once forwarding is on";
        log.warn("Task {}: outbox entry {} is {}; dead-lettered", context.taskId(), sequence, why);
        context.forward(new Record<>(
                entry.key(),
                new DeliveryOutput(
                        null,
                        DeliveryDeadLetters.notForwarded(
                                entry, why, identityLinksTopic, Instant.ofEpochMilli(context.currentSystemTimeMs()))),
                entry.timestamp()));
        removeFromOutbox(sequence);
    }

    /** The item a readable entry holds; null when its bytes decode to nothing. */
    private DeliveryItem read(OutboxEntry entry) {
        if (entry.kind() == OutboxEntry.Kind.IDENTITY_LINK) {
            IdentityLink link = linkSerde.deserializer().deserialize(identityLinksTopic, entry.payload());
            return link == null ? null : DeliveryItem.of(link);
        }
        Engagement engagement = engagementSerde.deserializer().deserialize(engagementsTopic, entry.payload());
        return engagement == null ? null : DeliveryItem.of(engagement);
    }

    /** The topic whose {@code -value} subject the entry's payload was written with. */
    private String topicOf(OutboxEntry entry) {
        return entry.kind() == OutboxEntry.Kind.IDENTITY_LINK ? identityLinksTopic : engagementsTopic;
    }

    /** Not the entry's fault: the registry is unreachable or refuses us (as the processing handler decides). */
    private static boolean isRegistryFailure(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryUnavailableException || t instanceof SchemaRegistryException) {
                return true;
            }
        }
        return false;
    }

    private void drainCompletions() {
        int applied = 0;
        try {
            // Deferred ones once each per drain (a failing one goes back to the end), so that one that keeps
            // failing cannot spin the thread; then the new ones.
            for (int retries = deferred.size(); retries > 0; retries--) {
                applied += apply(deferred.pollFirst()) ? 1 : 0;
            }
            for (Completion next = completions.poll(); next != null; next = completions.poll()) {
                applied += apply(next) ? 1 : 0;
            }
        } finally {
            if (applied > 0 && !gate.isOpen()) {
                // Shutting down: commit these outcomes now rather than at the next commit interval.
                context.commit();
            }
        }
        refill();
    }

    /**
     * Writes one engagement's outcome: its audit record, its dead letter if it failed, and the deletion of its
     * outbox entry, all in the transaction of the current input, independently of every other engagement.
     * Bookkeeping changes only once that succeeded; if it throws, the completion is kept and applied again later,
     * and the exception is logged and counted (unless it means the task must close), so that the current input
     * record is not blamed for it.
     *
     * @return whether it was applied (false when deferred)
     */
    private boolean apply(Completion completion) {
        Pending done = completion.pending();
        if (completion.error() != null) {
            // Cancelled, or the deliverer closed under a running task (shutdown): not sent as far as we know.
            release(done);
            returned.add(done.sequence());
            return true;
        }
        DeliveryResult result = completion.result();
        DeliveryItem item = done.item();
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        try {
            DeadLetter deadLetter = null;
            EngagementDelivery audit;
            if (item.isLink()) {
                String app = appOf(item.link());
                audit = DeliveryAudit.linkRecord(item.link(), app, done.entry().timestamp(), result);
                if (!result.delivered()) {
                    deadLetter = DeliveryDeadLetters.ofLink(app, done.entry(), result, identityLinksTopic, now);
                }
            } else {
                audit = DeliveryAudit.record(item.engagement(), result);
                if (!result.delivered()) {
                    deadLetter = DeliveryDeadLetters.of(item.engagement(), done.entry(), result, engagementsTopic, now);
                }
            }
            context.forward(new Record<>(
                    done.entry().key(),
                    new DeliveryOutput(audit, deadLetter),
                    done.entry().timestamp()));
            // Outcome out and entry deleted in the same transaction: never both lost, never both kept.
            outbox.delete(done.sequence());
        } catch (TaskMigratedException | TaskCorruptedException e) {
            deferred.addFirst(completion);
            throw e;
        } catch (RuntimeException e) {
            deferred.addLast(completion);
            statistics.completionFailed();
            log.error(
                    "Task {}: could not write the outcome of {} (outbox entry {}); trying again",
                    context.taskId(),
                    describe(item),
                    done.sequence(),
                    e);
            return false;
        }
        release(done);
        outboxSize--;
        completedSinceRecord++;
        statistics.outboxChanged(-1);
        if (item.isLink()) {
            statistics.identityLinkEnded(result.delivered());
        } else if (result.delivered()) {
            statistics.engagementDelivered(DeliveryAudit.latency(item.engagement(), result));
        }
        if (!result.delivered()) {
            log.warn(
                    "Task {}: {} not delivered: {} after {} attempt(s), HTTP status {}; dead-lettered",
                    context.taskId(),
                    describe(item),
                    result.outcome(),
                    result.attempts(),
                    result.httpStatus());
        }
        return true;
    }

    /** For logs: ids and apps, with the user masked. */
    private String describe(DeliveryItem item) {
        if (item.isLink()) {
            return "the identity link of user " + Pii.mask(item.link().getFbUserId()) + " for app "
                    + appOf(item.link());
        }
        Engagement engagement = item.engagement();
        return "interaction " + engagement.getInteractionId() + " of app " + engagement.getKochavaAppId() + " (user "
                + Pii.mask(engagement.getFbUserId()) + ")";
    }

    /** Frees the memory of one engagement whose delivery ended. */
    private void release(Pending done) {
        if (inDelivery.remove(done.sequence()) != null) {
            hold(done, -1);
            gate.settled(1);
        }
    }

    private void removeFromOutbox(long sequence) {
        outbox.delete(sequence);
        outboxSize--;
        statistics.outboxChanged(-1);
    }

    /**
     * Backpressure: while the outbox is full, a record is taken once an engagement of this task has completed since
     * the previous record (one out, one in: intake follows the delivery rate), or once it has waited
     * {@code delivery.backpressure.max-block} or what is left of the thread's {@link BlockingBudget}; then it is
     * taken anyway, so the outbox limit is soft and polling never stops. Waiting for room below the limit instead
     * would hold the thread, and the other tasks' completions with it, for the whole wait as long as a backlog
     * remains. Whenever it waited, it asks Streams to commit at the end of this round, so that the open transaction
     * ends within the budget.
     */
    private void awaitRoomInOutbox() {
        long completedBefore = completedSinceRecord;
        completedSinceRecord = 0;
        if (outboxSize < settings.outboxMaxSize() || completedBefore > 0 || inDelivery.isEmpty() || !gate.isOpen()) {
            // Below the limit, a completion already made room, or none can come: nothing in delivery, or shutdown
            // has stopped dispatching (waiting then would only hold the stream thread back from closing).
            return;
        }
        long wait = budget.available();
        if (wait <= 0) {
            return;
        }
        long start = System.nanoTime();
        long deadline = start + wait;
        try {
            for (long left = wait;
                    outboxSize >= settings.outboxMaxSize() && completedSinceRecord == 0 && left > 0;
                    left = deadline - System.nanoTime()) {
                Completion completion = completions.poll(Math.min(left, BLOCK_STEP_NANOS), TimeUnit.NANOSECONDS);
                if (completion != null) {
                    deferred.addLast(completion);
                    drainCompletions();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            completedSinceRecord = 0;
            long blocked = System.nanoTime() - start;
            budget.spend(blocked);
            statistics.blocked(blocked);
            context.commit();
        }
    }

    /**
     * Cancels this task's deliveries at once: no request of a closed task is retried, and closing never waits
     * for Kochava. Their outcomes can no longer be written (the task's last commit is done), so their entries stay
     * in the outbox for the next owner: that is the bound on duplicates. A clean shutdown avoids it by letting
     * requests end and their outcomes commit before Streams closes the tasks (see {@link KochavaDelivery#quiesce}).
     */
    @Override
    public void close() {
        closed = true;
        if (punctuator != null) {
            punctuator.cancel();
        }
        int cancelled = inDelivery.size();
        inDelivery.values().forEach(result -> result.cancel(false));
        inDelivery.clear();
        gate.settled(cancelled);
        statistics.pendingChanged(-pending);
        statistics.outboxChanged(-outboxSize);
        if (outboxSize > 0) {
            log.info(
                    "Task {} closed with {} engagements in its outbox ({} in delivery, cancelled); their next "
                            + "owner sends them",
                    context.taskId(),
                    outboxSize,
                    cancelled);
        }
        pending = 0;
        pendingBytes = 0;
        batch.clear();
        deferred.clear();
        returned.clear();
    }
}
