package io.kobot.streams.deliver;

import io.kobot.kochava.KochavaDeliverer;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.schema.EngagementDelivery;
import io.kobot.schema.IdentityLink;
import io.kobot.streams.topology.EngagementSink;
import io.kobot.streams.topology.PipelineSerdes;
import io.kobot.streams.topology.TopicNames;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Delivers engagements, and with {@code kochava.identity-link.forward} new and changed identity links, to Kochava
 * inside the topology, and writes each outcome: an {@link EngagementDelivery} to
 * {@code topics.deliveries}, plus a {@link DeadLetter} to {@code topics.dead-letters} when Kochava rejected it
 * ({@code HTTP_REJECTED}) or retries ran out ({@code RETRIES_EXHAUSTED}).
 *
 * <pre>
 *  engagements ─ deliver-to-kochava ─┬─ delivery-audited ─ delivery-audit ──────────▶ topics.deliveries
 *        (outbox: delivery-outbox)   └─ delivery-failures ─ delivery-dead-letters ─▶ topics.dead-letters
 * </pre>
 *
 * <h2>No loss: the outbox</h2>
 * An HTTP call cannot join a Kafka transaction, so the processor first writes each engagement to a persistent,
 * changelogged outbox store under a per-task sequence number, and only then sends it. Under
 * {@code exactly_once_v2} that write commits atomically with the input offset, and an entry leaves the outbox
 * only in the transaction that also writes its audit (and dead-letter) record. So an offset is never committed
 * before its engagement is either durably queued or finished, and nothing accepted is lost across crashes. After a
 * crash or a rebalance the task's next owner restores the outbox and sends all of it again; what it sends twice
 * is bounded by the requests that were in flight, or had completed without their outcome being committed yet,
 * when the previous owner stopped: at most {@code delivery.max-pending} per task, in practice what one commit
 * interval completes. Kochava does not deduplicate events, so this bound is the price of not losing any.
 *
 * <p>Only {@code exactly_once_v2} is offered with this sink: under {@code at_least_once} an outcome's outbox
 * delete, audit record and dead letter are written without a transaction, so after a crash an engagement can have
 * left the outbox while its dead letter was never written ({@code PipelineConfig} refuses the combination).
 *
 * <h2>Batching, and per-engagement completion</h2>
 * Kochava takes one event per POST, so throughput comes from many requests in flight at once over pooled
 * connections. Engagements are gathered into a batch, dispatched with {@link KochavaDeliverer#deliverEach} once it
 * holds {@code delivery.batch.max-events} or {@code delivery.batch.max-bytes} (serialized size), or once its oldest
 * has waited {@code delivery.batch.linger}, checked by a wall-clock punctuator, so small batches flush too. The
 * client bounds requests in flight ({@code delivery.max-in-flight}) and the rate per app, and owns retries and the
 * 4xx policy; the sink only maps outcomes. Each engagement completes on its own: its audit record, dead letter and
 * outbox delete are written as soon as its own result arrives, in whatever order results arrive, so an engagement
 * that keeps retrying holds only its own memory slot.
 *
 * <h2>Bounded memory</h2>
 * At most {@code delivery.max-pending} engagements, and {@code delivery.max-pending-bytes} of them, per task are
 * in memory (batched or in delivery). The rest wait in the outbox on disk and are read back in sequence order, by a
 * cursor over the sequence keys, as completions free room: during an outage the backlog is on disk, not in memory.
 * Completions arrive on the client's threads and go through a queue that the stream thread drains in
 * {@code process()} and in the punctuator: only the stream thread forwards records or touches the store. Every
 * step keeps the bookkeeping whole when it throws: an outcome that cannot be written is kept and written again, the
 * cursor moves past an entry only once it is in memory or dead-lettered, and an entry that cannot be read back is
 * dead-lettered with its bytes ({@code OUTBOX_ENTRY_UNREADABLE}).
 *
 * <h2>Backpressure without risking the transaction</h2>
 * During a long outage the outbox grows on disk, which is the point: input keeps flowing and offsets advance.
 * Past {@code delivery.outbox.max-size} entries in a task, {@code process()} takes a record only once one of the
 * task's engagements has completed since the previous record (one out, one in), or after waiting up to
 * {@code delivery.backpressure.max-block}; then it takes the record anyway (the limit is soft; polling never stops). Under exactly-once the wait happens inside the thread's open transaction, which the broker
 * aborts after {@code transaction.timeout.ms} (10 s by Streams' default), and an abort closes every task of the
 * thread dirty, wipes and restores their state, and re-sends every outbox. So a thread blocks at most a fifth of
 * {@code transaction.timeout.ms} per transaction, and every task that waited asks Streams to commit at the end of
 * the round; see {@link BlockingBudget} for why that bounds each transaction. It slows intake to the delivery rate
 * when Kochava is slow, and only bounds how fast the outbox grows when Kochava is down. Time blocked is counted in
 * {@link DeliveryStatistics#blockedTime()}.
 *
 * <h2>Close, shutdown and handover</h2>
 * A task that closes (rebalance, or the end of shutdown) cancels its deliveries at once: closing never waits for
 * Kochava, and no request of a closed task is retried. Their outcomes can no longer be written (the task's last
 * commit is done before processors close), so their entries stay in the outbox for the next owner: that is where
 * the duplicates above come from. A clean shutdown avoids them: before {@code KafkaStreams.close()},
 * {@link KochavaDelivery#quiesce} closes a gate shared by all tasks (nothing more is dispatched), lets requests in
 * flight end within {@code delivery.drain-timeout} without retries, aborts the rest, and waits until the running
 * stream threads have written every outcome and asked for a commit; Streams' clean close then commits them. So a
 * restart after SIGTERM re-sends only the requests that had no answer.
 *
 * <p>One {@link KochavaDeliverer} (one connection pool) serves all tasks of a Kafka Streams instance. The sink
 * does not own it: the application closes it after {@code KafkaStreams.close()}.
 */
public final class KochavaDeliverySink implements EngagementSink {
    public static final String OUTBOX_STORE = "delivery-outbox";
    static final String PROCESSOR = "deliver-to-kochava";

    private final TopicNames topics;
    private final DeliverySettings settings;
    private final KochavaDeliverer deliverer;
    private final DeliveryStatistics statistics;
    private final ThreadLocal<BlockingBudget> budgets = new ThreadLocal<>();
    private final DeliveryGate gate = new DeliveryGate();

    /**
     * @param statistics the same instance the deliverer reports to, so that one object holds every delivery metric
     */
    public KochavaDeliverySink(
            TopicNames topics, DeliverySettings settings, KochavaDeliverer deliverer, DeliveryStatistics statistics) {
        this.topics = topics;
        this.settings = settings;
        this.deliverer = deliverer;
        this.statistics = statistics;
    }

    public DeliveryStatistics statistics() {
        return statistics;
    }

    DeliveryGate gate() {
        return gate;
    }

    @Override
    public boolean forwardsIdentityLinks() {
        return deliverer.config().forwardIdentityLinks();
    }

    @Override
    public void attach(StreamsBuilder builder, KStream<byte[], Engagement> engagements, PipelineSerdes serdes) {
        attachItems(builder, engagements.mapValues(DeliveryItem::of, Named.as("deliver-engagements")), serdes);
    }

    /** With {@code kochava.identity-link.forward}, links go into the same outbox as engagements, in arrival order. */
    @Override
    public void attach(
            StreamsBuilder builder,
            KStream<byte[], Engagement> engagements,
            KStream<byte[], IdentityLink> linksToForward,
            PipelineSerdes serdes) {
        if (!forwardsIdentityLinks()) {
            attach(builder, engagements, serdes);
            return;
        }
        KStream<byte[], DeliveryItem> items = engagements
                .mapValues(DeliveryItem::of, Named.as("deliver-engagements"))
                .merge(
                        linksToForward.mapValues(DeliveryItem::of, Named.as("deliver-identity-links")),
                        Named.as("deliver-items"));
        attachItems(builder, items, serdes);
    }

    private void attachItems(StreamsBuilder builder, KStream<byte[], DeliveryItem> items, PipelineSerdes serdes) {
        builder.addStateStore(outboxStore());
        KStream<byte[], DeliveryOutput> outcomes = items.process(
                () -> new DeliveryProcessor(
                        settings,
                        deliverer,
                        statistics,
                        // The bytes just written to the engagements topic, not serialized again.
                        serdes.engagementWritten(),
                        topics.engagements(),
                        serdes.identityLink(),
                        topics.identityLinks(),
                        budgets,
                        gate),
                Named.as(PROCESSOR),
                OUTBOX_STORE);
        outcomes.filter(
                        (key, outcome) -> outcome.audited() && settings.audit().keeps(outcome.audit()),
                        Named.as("delivery-audited"))
                .mapValues(DeliveryOutput::audit, Named.as("delivery-audit"))
                .to(
                        topics.deliveries(),
                        Produced.<byte[], EngagementDelivery>as("deliveries-out")
                                .withKeySerde(Serdes.ByteArray())
                                .withValueSerde(serdes.delivery()));
        outcomes.filter((key, outcome) -> outcome.failed(), Named.as("delivery-failures"))
                .mapValues(DeliveryOutput::deadLetter, Named.as("delivery-dead-letters"))
                .to(
                        topics.deadLetters(),
                        Produced.<byte[], DeadLetter>as("delivery-dlq-out")
                                .withKeySerde(Serdes.ByteArray())
                                .withValueSerde(serdes.deadLetter()));
    }

    /**
     * Persistent and changelogged (the default): the outbox must survive the loss of the machine.
     *
     * <p>Cached: Kafka Streams' record cache keeps each key's last write until the commit flushes it, so an entry
     * whose outcome arrives within the same commit interval (most of them) reaches RocksDB and the changelog only as
     * its delete, not as its bytes and then a delete. This weakens nothing: under {@code exactly_once_v2} changelog
     * writes count only once their transaction commits, the flush happens in that transaction, and a task that
     * crashes is restored from the changelog, not from its local store.
     */
    static StoreBuilder<KeyValueStore<Long, OutboxEntry>> outboxStore() {
        // Big-endian longs sort like numbers for the non-negative sequence, so range scans follow it.
        return Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(OUTBOX_STORE), Serdes.Long(), OutboxEntry.serde())
                .withCachingEnabled();
    }
}
