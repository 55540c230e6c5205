package io.kobot.streams.topology;

import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The last stage: where unique, enriched engagements go besides {@code bot.engagements}, and new or changed identity
 * links when the sink forwards them. The delivery package provides the in-topology Kochava sink; with delivery on
 * Kafka Connect there is none.
 */
@FunctionalInterface
public interface EngagementSink {
    EngagementSink NONE = (builder, engagements, serdes) -> {};

    /** @param serdes the topology's serdes, for what the sink writes */
    void attach(StreamsBuilder builder, KStream<byte[], Engagement> engagements, PipelineSerdes serdes);

    /**
     * Like {@link #attach(StreamsBuilder, KStream, PipelineSerdes)}, with the links to forward to Kochava; a sink
     * that does not forward links ignores them (the stream is then empty).
     */
    default void attach(
            StreamsBuilder builder,
            KStream<byte[], Engagement> engagements,
            KStream<byte[], IdentityLink> linksToForward,
            PipelineSerdes serdes) {
        attach(builder, engagements, serdes);
    }

    /** Whether new and changed identity links are to be marked for this sink to forward. */
    default boolean forwardsIdentityLinks() {
        return false;
    }
}
