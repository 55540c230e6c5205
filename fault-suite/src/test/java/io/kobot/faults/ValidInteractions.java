package io.kobot.faults;

import io.kobot.devstack.kochava.KochavaStandIn;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.InteractionType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Valid interactions, each identifiable at the receiver: an event carries its id in {@code event_data.fault_id},
 * an impression or click has a tracking URL of its own. 70 % events, 20 % impressions, 10 % clicks; two thirds
 * Avro, one third JSON; keyed by {@code fb_user_id} when known. Every 50th record is followed by a second copy
 * of an earlier one (a retried webhook), which deduplication must drop: so more is published than accepted.
 */
final class ValidInteractions {
    private static final int USERS = 20_000;
    private static final int COPY_EVERY = 50;
    private static final int COPY_DISTANCE = 25;

    private final String runId;
    private final KochavaStandIn receiver;
    private final Serializer<BotInteraction> avro;
    private final String topic;
    private final long baseMillis = Instant.now().minusSeconds(3600).toEpochMilli();

    ValidInteractions(String runId, KochavaStandIn receiver, Serializer<BotInteraction> avro, String topic) {
        this.runId = runId;
        this.receiver = receiver;
        this.avro = avro;
        this.topic = topic;
    }

    /** Records for {@code count} distinct interactions, plus the copies. */
    Iterator<OutgoingRecord> records(int count) {
        return new Iterator<>() {
            private int next;
            private boolean copyDue;

            @Override
            public boolean hasNext() {
                return next < count || copyDue;
            }

            @Override
            public OutgoingRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                if (copyDue) {
                    copyDue = false;
                    return record(next - 1 - COPY_DISTANCE);
                }
                int index = next++;
                copyDue = index % COPY_EVERY == COPY_EVERY - 1;
                return record(index);
            }
        };
    }

    static int publishedFor(int count) {
        return count + count / COPY_EVERY;
    }

    /** The same index always gives the same record, so a copy is a true copy. */
    OutgoingRecord record(int index) {
        String id = runId + "-" + index;
        InteractionType type = index % 10 < 7
                ? InteractionType.EVENT
                : index % 10 < 9 ? InteractionType.IMPRESSION : InteractionType.CLICK;
        String user = type == InteractionType.EVENT || index % 2 == 0 ? "user-" + (index * 7919L % USERS) : null;
        long occurredAt = baseMillis + index;
        byte[] key = (user != null ? user : id).getBytes(StandardCharsets.UTF_8);
        byte[] value = index % 3 == 0 ? json(id, type, user, occurredAt) : avro(id, type, user, occurredAt);
        return new OutgoingRecord(id, type.name(), key, value);
    }

    private byte[] avro(String id, InteractionType type, String user, long occurredAt) {
        BotInteraction.Builder builder = BotInteraction.newBuilder()
                .setInteractionId(id)
                .setKochavaAppId("kobot-faults")
                .setType(type)
                .setFbUserId(user)
                .setOccurredAt(Instant.ofEpochMilli(occurredAt))
                .setDeviceIds(new HashMap<>());
        if (type == InteractionType.EVENT) {
            builder.setEventName("Purchase").setEventData("{\"fault_id\":\"" + id + "\",\"sum\":1}");
        } else {
            builder.setTrackingUrl(receiver.trackingUrl(id));
        }
        return avro.serialize(topic, builder.build());
    }

    private byte[] json(String id, InteractionType type, String user, long occurredAt) {
        StringBuilder json = new StringBuilder(256)
                .append("{\"interaction_id\":\"")
                .append(id)
                .append("\",\"kochava_app_id\":\"kobot-faults\",\"type\":\"")
                .append(type.name())
                .append("\",\"occurred_at\":")
                .append(occurredAt);
        if (user != null) {
            json.append(",\"fb_user_id\":\"").append(user).append('"');
        }
        if (type == InteractionType.EVENT) {
            json.append(",\"event_name\":\"Start Chatting\",\"event_data\":{\"fault_id\":\"")
                    .append(id)
                    .append("\"}");
        } else {
            json.append(",\"tracking_url\":\"").append(receiver.trackingUrl(id)).append('"');
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }
}
