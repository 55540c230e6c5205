package io.kobot.streams.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives Kafka Streams' state store meters ({@value #PREFIX}*) one set of tag keys whatever the store's type.
 *
 * <p>Kafka Streams names a store's tag after its type ({@code rocksdb-state-id} for the identity-link stores,
 * {@code rocksdb-window-state-id} for the dedup store, ...), so one metric such as {@code
 * estimate-pending-compaction-bytes} arrives with different tag keys per store type, and Prometheus refuses every
 * variant but the first it was given. This renames that tag {@value #STATE_ID}; its value, the store's name, is
 * unique within the application. It keeps the number of tags: Micrometer's Kafka binder drops a metric whose meter
 * of the same name has more tags, taking it for a less specific variant. (That binder compares Kafka's tags with the
 * registered, renamed ones, so it offers these meters again at each refresh; the registry keeps the first
 * registration and says so once in the log.)
 */
public final class StateStoreTags implements MeterFilter {
    static final String PREFIX = "kafka.stream.state.";
    static final String STATE_ID = "state.id";

    /** Micrometer's Kafka binder turns the dashes of Kafka's tag names into dots. */
    private static final String STATE_ID_SUFFIX = ".state.id";

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith(PREFIX)) {
            return id;
        }
        List<Tag> tags = new ArrayList<>();
        boolean renamed = false;
        for (Tag tag : id.getTagsAsIterable()) {
            if (tag.getKey().endsWith(STATE_ID_SUFFIX)) {
                tags.add(Tag.of(STATE_ID, tag.getValue()));
                renamed = true;
            } else {
                tags.add(tag);
            }
        }
        return renamed ? id.replaceTags(tags) : id;
    }
}
