package io.kobot.streams.topology;

import io.kobot.schema.Engagement;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The last stage: where unique, enriched engagements go besides {@code bot.engagements}. The delivery
 * package provides the in-topology Kochava sink; with delivery on Kafka Connect there is none.
 */
@FunctionalInterface
public interface EngagementSink {
    EngagementSink NONE = (builder, engagements, serdes) -> {};

    /** @param serdes the topology's serdes, for what the sink writes */
    void attach(StreamsBuilder builder, KStream<byte[], Engagement> engagements, PipelineSerdes serdes);
}
