package io.kobot.streams.enrich;

import io.kobot.schema.IdentityLink;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.streams.replay.ReplayMarker;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Lets the latest {@code updated_at} win among a user's IdentityLink updates, right before the table, and says
 * which updates Kochava must be told about.
 *
 * <p>A compacted topic keeps the last record written, which is not always the latest link: two apps, or a
 * retried producer, can write out of order, and updates placed by different partitioners reach this task by
 * different paths (directly, or through the repartition topic), in no fixed order. So this runs where every
 * update of a user meets, after the misplaced ones were repartitioned, and remembers per user the
 * {@code updated_at} applied (see {@link LinkVersion}): an older update is ignored (and counted) rather than
 * overwriting a newer one. A tombstone (null) deletes the link whatever its time: it has none.
 *
 * <p>With forwarding on, a winning update is marked for Kochava when it is new or its app or device ids differ from
 * what was last queued for this user (a digest, kept beside the time); an unchanged replay is not, and neither is a
 * tombstone: Kochava has no unlink. A link created again after a tombstone is new, and a replayed one (the
 * {@code kobot.replay.of} header: a dead-lettered forward sent through the pipeline again) is forwarded again.
 */
public final class LatestLinkProcessor implements FixedKeyProcessor<byte[], IdentityLink, LinkUpdate> {
    public static final String VERSIONS_STORE_NAME = "identity-link-versions";

    private final PipelineMetrics metrics;
    private final boolean forwarding;
    private FixedKeyProcessorContext<byte[], LinkUpdate> context;
    private KeyValueStore<String, LinkVersion> appliedVersions;

    /** @param forwarding whether links are forwarded to Kochava ({@code kochava.identity-link.forward}) */
    public LatestLinkProcessor(PipelineMetrics metrics, boolean forwarding) {
        this.metrics = metrics;
        this.forwarding = forwarding;
    }

    public static StoreBuilder<KeyValueStore<String, LinkVersion>> versionsStoreBuilder() {
        return Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(VERSIONS_STORE_NAME), Serdes.String(), LinkVersion.serde());
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], LinkUpdate> context) {
        this.context = context;
        this.appliedVersions = context.getStateStore(VERSIONS_STORE_NAME);
    }

    /** Keys are UTF-8 fb_user_ids, checked at ingest. */
    @Override
    public void process(FixedKeyRecord<byte[], IdentityLink> record) {
        String user = new String(record.key(), StandardCharsets.UTF_8);
        IdentityLink link = record.value();
        if (link == null) {
            appliedVersions.delete(user);
            metrics.increment(PipelineMetrics.LINK_DELETES);
            context.forward(record.withValue(LinkUpdate.deleted()));
            return;
        }
        long updatedAt = link.getUpdatedAt().toEpochMilli();
        LinkVersion applied = appliedVersions.get(user);
        if (applied != null && updatedAt < applied.updatedAt()) {
            metrics.increment(PipelineMetrics.LINK_STALE_IGNORED);
            return;
        }
        byte[] digest = forwarding ? LinkVersion.digest(link) : null;
        // A replayed dead letter (a forward that failed) is sent again even though it is what was last queued.
        boolean replayed = ReplayMarker.replayOf(record.headers()) != null;
        boolean changed = forwarding
                && (replayed
                        || applied == null
                        || applied.forwarded() == null
                        || !Arrays.equals(applied.forwarded(), digest));
        appliedVersions.put(user, new LinkVersion(updatedAt, digest));
        metrics.increment(PipelineMetrics.LINK_UPDATES);
        context.forward(record.withValue(new LinkUpdate(link, changed)));
    }
}
