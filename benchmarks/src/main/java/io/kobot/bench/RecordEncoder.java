package io.kobot.bench;

import io.kobot.devstack.kochava.KochavaStandIn;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;
import io.kobot.schema.InteractionType;
import io.kobot.streams.enrich.Engagements;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns workload interactions into what bot servers publish (Avro in the Confluent wire format, or JSON) and
 * into the engagements the pipeline would make of them. Events carry their id in {@code event_data} and pings
 * a tracking URL ending in their id, so that the receiver can tell every interaction apart.
 */
final class RecordEncoder {
    static final String APP = "kobot-bench-1a2b3c";
    static final Map<String, Object> REGISTRY = Map.of("schema.registry.url", "mock://bench");

    private final Workload workload;
    private final URI receiver;
    private final SpecificAvroSerde<BotInteraction> interactions =
            SpecificAvroSerde.of(BotInteraction.class, REGISTRY, false);
    private final SpecificAvroSerde<IdentityLink> links = SpecificAvroSerde.of(IdentityLink.class, REGISTRY, false);

    RecordEncoder(Workload workload, URI receiver) {
        this.workload = workload;
        this.receiver = receiver;
    }

    /** The join key: fb_user_id, else the interaction id, as the contract asks producers to key. */
    static byte[] key(Workload.Interaction interaction) {
        String key = interaction.user() != null ? Workload.fbUserId(interaction.user()) : interaction.interactionId();
        return key.getBytes(StandardCharsets.UTF_8);
    }

    byte[] value(String topic, Workload.Interaction interaction, long occurredAt) {
        return interaction.avro()
                ? interactions.serializer().serialize(topic, avro(interaction, occurredAt))
                : json(interaction, occurredAt).getBytes(StandardCharsets.UTF_8);
    }

    byte[] link(String topic, int user, long updatedAt) {
        Map<String, String> deviceIds = linkedIds(user);
        if (workload.linkIsAvro(user)) {
            return links.serializer()
                    .serialize(
                            topic,
                            IdentityLink.newBuilder()
                                    .setFbUserId(Workload.fbUserId(user))
                                    .setDeviceIds(deviceIds)
                                    .setUpdatedAt(Instant.ofEpochMilli(updatedAt))
                                    .build());
        }
        return ("{\"fb_user_id\":\"" + Workload.fbUserId(user) + "\",\"device_ids\":{\"kochava_device_id\":\""
                        + deviceIds.get("kochava_device_id") + "\",\"adid\":\"" + deviceIds.get("adid")
                        + "\"},\"updated_at\":" + updatedAt + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The engagement the pipeline makes of {@code interaction}: what the HTTP ceiling sends without Kafka. */
    Engagement engagement(Workload.Interaction interaction, long occurredAt) {
        BotInteraction raw = avro(interaction, occurredAt);
        IdentityLink link = interaction.user() != null && workload.hasLink(interaction.user())
                ? IdentityLink.newBuilder()
                        .setFbUserId(raw.getFbUserId())
                        .setDeviceIds(linkedIds(interaction.user()))
                        .setUpdatedAt(raw.getOccurredAt())
                        .build()
                : null;
        return Engagements.of(raw, link, raw.getOccurredAt());
    }

    private BotInteraction avro(Workload.Interaction interaction, long occurredAt) {
        boolean event = interaction.type() == InteractionType.EVENT;
        return BotInteraction.newBuilder()
                .setInteractionId(interaction.interactionId())
                .setKochavaAppId(APP)
                .setType(interaction.type())
                .setFbUserId(interaction.user() == null ? null : Workload.fbUserId(interaction.user()))
                .setOccurredAt(Instant.ofEpochMilli(occurredAt))
                .setEventName(event ? "Purchase" : null)
                .setEventData(event ? eventData(interaction) : null)
                .setTrackingUrl(event ? null : trackingUrl(interaction))
                .setDeviceIds(new HashMap<>())
                .build();
    }

    private String json(Workload.Interaction interaction, long occurredAt) {
        StringBuilder json = new StringBuilder(256)
                .append("{\"interaction_id\":\"")
                .append(interaction.interactionId())
                .append("\",\"kochava_app_id\":\"")
                .append(APP)
                .append("\",\"type\":\"")
                .append(interaction.type())
                .append('"');
        if (interaction.user() != null) {
            json.append(",\"fb_user_id\":\"")
                    .append(Workload.fbUserId(interaction.user()))
                    .append('"');
        }
        json.append(",\"occurred_at\":").append(occurredAt);
        if (interaction.type() == InteractionType.EVENT) {
            json.append(",\"event_name\":\"Purchase\",\"event_data\":").append(eventData(interaction));
        } else {
            json.append(",\"tracking_url\":\"").append(trackingUrl(interaction)).append('"');
        }
        return json.append('}').toString();
    }

    /** The receiver reads the id back from here (see {@link KochavaStandIn}). */
    private static String eventData(Workload.Interaction interaction) {
        return "{\"id\":\"" + interaction.id() + "\",\"name\":\"Shoes\",\"currency\":\"USD\",\"sum\":"
                + (interaction.id() % 500) + "}";
    }

    private String trackingUrl(Workload.Interaction interaction) {
        String kind = interaction.type() == InteractionType.IMPRESSION ? "impression" : "click";
        return receiver.resolve(KochavaStandIn.PING_PATH + interaction.id() + "?kind=" + kind)
                .toString();
    }

    private static Map<String, String> linkedIds(int user) {
        Map<String, String> ids = new HashMap<>();
        ids.put("kochava_device_id", "KD" + Integer.toHexString(user * 31 + 7));
        ids.put("adid", "ad-" + user);
        return ids;
    }
}
