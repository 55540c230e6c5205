package io.kobot.streams.enrich;

import io.kobot.schema.IdentityLink;
import io.kobot.streams.metrics.PipelineMetrics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Lets the latest {@code updated_at} win among a user's IdentityLink updates, right before the table.
 *
 * <p>A compacted topic keeps the last record written, which is not always the latest link: two apps, or a
 * retried producer, can write out of order, and updates placed by different partitioners reach this task by
 * different paths (directly, or through the repartition topic), in no fixed order. So this runs where every
 * update of a user meets, after the misplaced ones were repartitioned, and remembers the {@code updated_at}
 * applied per user (a long, not the whole link): an older update is ignored (and counted) rather than
 * overwriting a newer one. A tombstone (null) deletes the link whatever its time: it has none.
 */
public final class LatestLinkProcessor implements FixedKeyProcessor<byte[], IdentityLink, IdentityLink> {
    public static final String VERSIONS_STORE_NAME = "identity-link-versions";

    private final PipelineMetrics metrics;
    private FixedKeyProcessorContext<byte[], IdentityLink> context;
    private KeyValueStore<String, Long> appliedVersions;

    public LatestLinkProcessor(PipelineMetrics metrics) {
        this.metrics = metrics;
    }

    public static StoreBuilder<KeyValueStore<String, Long>> versionsStoreBuilder() {
        return Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(VERSIONS_STORE_NAME), Serdes.String(), Serdes.Long());
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], IdentityLink> context) {
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
            context.forward(record);
            return;
        }
        long updatedAt = link.getUpdatedAt().toEpochMilli();
        Long applied = appliedVersions.get(user);
        if (applied != null && updatedAt < applied) {
            metrics.increment(PipelineMetrics.LINK_STALE_IGNORED);
            return;
        }
        appliedVersions.put(user, updatedAt);
        metrics.increment(PipelineMetrics.LINK_UPDATES);
        context.forward(record);
    }
}
