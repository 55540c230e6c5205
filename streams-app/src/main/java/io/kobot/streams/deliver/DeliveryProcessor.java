package io.kobot.streams.deliver;

import io.kobot.kochava.DeliveryResult;
import io.kobot.kochava.KochavaDeliverer;
import io.kobot.kochava.Pii;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.streams.replay.ReplayMarker;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The stream-thread side of {@link KochavaDeliverySink} for one task; see there for the design. Everything here
 * runs on the task's stream thread except the completion callbacks, which only enqueue.
 *
 * <p>Bookkeeping: outbox keys are a per-task sequence. Keys below {@code cursor} are held in memory (in the open
 * batch or in delivery) or already done; keys from {@code cursor} on wait on disk only, and are read back in order
 * when completions make room.
 */
final class DeliveryProcessor implements Processor<byte[], Engagement, byte[], DeliveryOutput> {
    private static final Logger log = LoggerFactory.getLogger(DeliveryProcessor.class);
    private static final long BLOCK_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final Duration MAX_PUNCTUATE_INTERVAL = Duration.ofMillis(100);

    private final DeliverySettings settings;
    private final KochavaDeliverer deliverer;
    private final DeliveryStatistics statistics;
    private final Serde<Engagement> engagementSerde;
    private final String engagementsTopic;
    private final ThreadLocal<BlockingBudget> budgets;

    private ProcessorContext<byte[], DeliveryOutput> context;
    private KeyValueStore<Long, OutboxEntry> outbox;
    private BlockingBudget budget;
    private Cancellable punctuator;
    /** Replaced on every init, so that completions of a previous incarnation of the task are never applied. */
    private BlockingQueue<Completion> completions;
    private final List<Pending> batch = new ArrayList<>();
    private long batchBytes;
    private long batchOpenedAt;
    private long nextSequence;
    private long cursor;
    private long outboxSize;
    /** Engagements in the open batch or in delivery. */
    private int pending;
    private boolean closed;

    DeliveryProcessor(DeliverySettings settings, KochavaDeliverer deliverer, DeliveryStatistics statistics,
                      Serde<Engagement> engagementSerde, String engagementsTopic,
                      ThreadLocal<BlockingBudget> budgets) {
        this.settings = settings;
        this.deliverer = deliverer;
        this.statistics = statistics;
        this.engagementSerde = engagementSerde;
        this.engagementsTopic = engagementsTopic;
        this.budgets = budgets;
    }

    /** An engagement held in memory, with its outbox key. */
    private record Pending(long sequence, OutboxEntry entry, Engagement engagement) {
    }

    /** A dispatched batch's results (in batch order), or the error that ended it; built on an HTTP thread. */
    private record Completion(List<Pending> batch, List<DeliveryResult> results, Throwable error) {
    }

    @Override
    public void init(ProcessorContext<byte[], DeliveryOutput> context) {
        this.context = context;
        this.outbox = context.getStateStore(KochavaDeliverySink.OUTBOX_STORE);
        if (budgets.get() == null) {
            budgets.set(BlockingBudget.forStreamsConfig(context.appConfigs()));
        }
        this.budget = budgets.get();
        this.completions = new LinkedBlockingQueue<>();
        this.batch.clear();
        this.batchBytes = 0;
        this.pending = 0;
        this.closed = false;
        restoreBookkeeping();
        Duration interval = settings.batchLinger().dividedBy(2);
        interval = interval.compareTo(MAX_PUNCTUATE_INTERVAL) > 0 ? MAX_PUNCTUATE_INTERVAL
                : interval.isZero() ? Duration.ofMillis(1) : interval;
        this.punctuator = context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    /** Everything in the outbox after a restart or a rebalance is undelivered as far as we know: send it again. */
    private void restoreBookkeeping() {
        long count = 0;
        Long first = null;
        Long last = null;
        try (KeyValueIterator<Long, OutboxEntry> all = outbox.all()) {
            while (all.hasNext()) {
                long key = all.next().key;
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
            log.info("Task {}: {} engagements were left in the outbox (crash or rebalance); sending them again",
                    context.taskId(), count);
        }
    }

    @Override
    public void process(Record<byte[], Engagement> record) {
        drainCompletions();
        awaitRoomInOutbox();
        long sequence = nextSequence++;
        byte[] bytes = engagementSerde.serializer().serialize(engagementsTopic, record.value());
        OutboxEntry entry = new OutboxEntry(record.key(), record.timestamp(), bytes,
                ReplayMarker.replayOf(record.headers()), ReplayMarker.replayCount(record.headers()));
        // Durable before anything is sent: under exactly-once this write commits with the input offset.
        outbox.put(sequence, entry);
        outboxSize++;
        statistics.outboxChanged(1);
        if (cursor == sequence && pending < settings.maxPending()) {
            cursor++;
            addToBatch(new Pending(sequence, entry, record.value()));
        }
    }

    private void punctuate(long now) {
        drainCompletions();
        if (!batch.isEmpty() && now - batchOpenedAt >= settings.batchLinger().toMillis()) {
            dispatch();
        }
    }

    private void addToBatch(Pending next) {
        if (batch.isEmpty()) {
            batchOpenedAt = context.currentSystemTimeMs();
        }
        batch.add(next);
        batchBytes += next.entry().engagement().length;
        pending++;
        statistics.pendingChanged(1);
        if (batch.size() >= settings.batchMaxEvents() || batchBytes >= settings.batchMaxBytes()
                || settings.batchLinger().isZero()) {
            dispatch();
        }
    }

    private void dispatch() {
        if (batch.isEmpty()) {
            return;
        }
        List<Pending> sent = List.copyOf(batch);
        batch.clear();
        batchBytes = 0;
        BlockingQueue<Completion> queue = completions;
        deliverer.deliverAll(sent.stream().map(Pending::engagement).toList())
                .whenComplete((results, error) -> queue.add(new Completion(sent, results, error)));
    }

    /** Reads waiting entries back from disk, in sequence order, as far as there is room in memory. */
    private void refill() {
        int room = settings.maxPending() - pending;
        if (closed || room <= 0 || cursor >= nextSequence) {
            return;
        }
        try (KeyValueIterator<Long, OutboxEntry> waiting = outbox.range(cursor, null)) {
            while (room > 0 && waiting.hasNext()) {
                KeyValue<Long, OutboxEntry> next = waiting.next();
                cursor = next.key + 1;
                Engagement engagement = engagementSerde.deserializer().deserialize(engagementsTopic,
                        next.value.engagement());
                addToBatch(new Pending(next.key, next.value, engagement));
                room--;
            }
            if (!waiting.hasNext()) {
                cursor = nextSequence;
            }
        }
        // These have waited on disk already: no lingering.
        dispatch();
    }

    private void drainCompletions() {
        for (Completion completion = completions.poll(); completion != null; completion = completions.poll()) {
            complete(completion);
        }
        refill();
    }

    private void complete(Completion completion) {
        pending -= completion.batch().size();
        statistics.pendingChanged(-completion.batch().size());
        if (completion.error() != null) {
            // Only when the deliverer closes under a running task; the next owner of the task sends them again.
            log.warn("Task {}: delivery of {} engagements ended without a result ({}); they stay in the outbox",
                    context.taskId(), completion.batch().size(), completion.error().toString());
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        for (int i = 0; i < completion.batch().size(); i++) {
            Pending done = completion.batch().get(i);
            DeliveryResult result = completion.results().get(i);
            DeadLetter deadLetter = null;
            if (result.delivered()) {
                statistics.engagementDelivered(result.latency(done.engagement()));
            } else {
                deadLetter = DeliveryDeadLetters.of(done.engagement(), done.entry(), result, engagementsTopic, now);
                log.warn("Task {}: interaction {} of app {} (user {}) not delivered: {} after {} attempt(s), "
                                + "HTTP status {}; dead-lettered", context.taskId(),
                        done.engagement().getInteractionId(), done.engagement().getKochavaAppId(),
                        Pii.mask(done.engagement().getFbUserId()), result.outcome(), result.attempts(),
                        result.httpStatus());
            }
            // Outcome out and entry deleted in the same transaction: never both lost, never both kept.
            context.forward(new Record<>(done.entry().key(), new DeliveryOutput(result.toDelivery(done.engagement()),
                    deadLetter), done.entry().timestamp()));
            outbox.delete(done.sequence());
            outboxSize--;
            statistics.outboxChanged(-1);
        }
    }

    /**
     * Backpressure: while the outbox is full, waits for completions to free room, for at most
     * {@code delivery.backpressure.max-block} and what is left of the thread's {@link BlockingBudget}; then takes
     * the record anyway, so the outbox limit is soft and polling never stops.
     */
    private void awaitRoomInOutbox() {
        if (outboxSize < settings.outboxMaxSize()) {
            return;
        }
        long start = System.nanoTime();
        long deadline = start + budget.available(settings.backpressureMaxBlock().toNanos());
        try {
            for (long left = deadline - start; outboxSize >= settings.outboxMaxSize() && left > 0;
                 left = deadline - System.nanoTime()) {
                Completion completion = completions.poll(Math.min(left, BLOCK_STEP_NANOS), TimeUnit.NANOSECONDS);
                if (completion != null) {
                    complete(completion);
                    drainCompletions();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            long blocked = System.nanoTime() - start;
            budget.spend(blocked);
            statistics.blocked(blocked);
        }
    }

    /**
     * Stops dispatching and waits up to {@code delivery.drain-timeout} for this task's requests in flight, so that
     * they end before the next owner sends the same entries again. Their outcomes cannot be written any more (the
     * task's last commit is done), so their entries stay in the outbox and are sent again: this is the bound on
     * duplicates.
     */
    @Override
    public void close() {
        closed = true;
        if (punctuator != null) {
            punctuator.cancel();
        }
        int inDelivery = pending - batch.size();
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        try {
            for (long left = settings.drainTimeout().toNanos(); inDelivery > 0 && left > 0;
                 left = deadline - System.nanoTime()) {
                Completion completion = completions.poll(left, TimeUnit.NANOSECONDS);
                if (completion != null) {
                    inDelivery -= completion.batch().size();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        statistics.pendingChanged(-pending);
        statistics.outboxChanged(-outboxSize);
        if (outboxSize > 0) {
            log.info("Task {} closed with {} engagements in its outbox ({} still in delivery); their next owner "
                    + "sends them", context.taskId(), outboxSize, Math.max(inDelivery, 0));
        }
        pending = 0;
        batch.clear();
    }
}
