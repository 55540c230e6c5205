package io.kobot.streams.app.replay;

import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.streams.replay.ReplayMarker;
import io.kobot.streams.topology.PipelineSerdes;
import io.kobot.streams.topology.TopicNames;
import java.nio.ByteBuffer;
import java.util.HashMap;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns a dead letter back into the record to send, so that it enters the pipeline like a new one:
 * <ul>
 *   <li>from the interactions (or identity-links) topic: its original key and value bytes, unchanged, to that
 *       topic; from the pipeline's repartition topic (a processing error after re-keying), whose values are
 *       interactions in the same wire format, to the interactions topic;</li>
 *   <li>from delivery (source {@code topics.engagements}, whose bytes are the Engagement): the interaction it was
 *       made from, as an Avro {@code BotInteraction} to the interactions topic, so that it is validated,
 *       deduplicated, enriched with the user's current link and delivered again. The link's identifiers it carried
 *       stay among its {@code device_ids}; the bot's own never were overwritten.</li>
 * </ul>
 * Each carries the replay marker (see {@link ReplayMarker}) and the producer's current time as its timestamp.
 * A dead letter whose original bytes were cut (a record over the dead-letter size bound) cannot be replayed.
 */
final class ReplayRecords {
    private final TopicNames topics;
    private final String applicationId;
    private final SpecificAvroSerde<Engagement> engagements;
    private final SpecificAvroSerde<BotInteraction> interactions;

    ReplayRecords(TopicNames topics, String applicationId, PipelineSerdes serdes) {
        this.topics = topics;
        this.applicationId = applicationId;
        this.engagements = serdes.engagement();
        this.interactions = serdes.interaction();
    }

    /** The record to send, or the reason it cannot be replayed. */
    sealed interface Result permits Replay, NotReplayable {}

    record Replay(ProducerRecord<byte[], byte[]> record) implements Result {}

    record NotReplayable(String why) implements Result {}

    Result toRecord(DeadLetter deadLetter, String coordinates) {
        if (deadLetter.getOriginalValue() == null) {
            return new NotReplayable("no original value");
        }
        if (deadLetter.getOriginalValueSize() != null || deadLetter.getOriginalKeySize() != null) {
            return new NotReplayable("original bytes were cut");
        }
        String source = deadLetter.getSourceTopic();
        byte[] key = bytes(deadLetter.getOriginalKey());
        byte[] value = bytes(deadLetter.getOriginalValue());
        ProducerRecord<byte[], byte[]> record;
        if (topics.interactions().equals(source) || topics.identityLinks().equals(source)) {
            record = new ProducerRecord<>(source, key, value);
        } else if (isRepartitionTopic(source)) {
            record = new ProducerRecord<>(topics.interactions(), key, value);
        } else if (topics.engagements().equals(source)) {
            Engagement engagement = engagements.deserializer().deserialize(source, value);
            record = new ProducerRecord<>(
                    topics.interactions(),
                    key,
                    interactions.serializer().serialize(topics.interactions(), interactionOf(engagement)));
        } else {
            return new NotReplayable("source topic is not one the pipeline reads");
        }
        ReplayMarker.mark(record.headers(), coordinates, deadLetter.getReplayCount() + 1);
        return new Replay(record);
    }

    private boolean isRepartitionTopic(String topic) {
        return topic != null && topic.startsWith(applicationId + "-") && topic.endsWith("-repartition");
    }

    static BotInteraction interactionOf(Engagement engagement) {
        return BotInteraction.newBuilder()
                .setInteractionId(engagement.getInteractionId())
                .setKochavaAppId(engagement.getKochavaAppId())
                .setType(engagement.getType())
                .setFbUserId(engagement.getFbUserId())
                .setOccurredAt(engagement.getOccurredAt())
                .setEventName(engagement.getEventName())
                .setEventData(engagement.getEventData())
                .setTrackingUrl(engagement.getTrackingUrl())
                .setDeviceIds(new HashMap<>(engagement.getDeviceIds()))
                .setOriginationIp(engagement.getOriginationIp())
                .setUserAgent(engagement.getUserAgent())
                .build();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
