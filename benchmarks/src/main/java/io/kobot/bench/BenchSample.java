package io.kobot.bench;

import io.kobot.devstack.kochava.KochavaStandIn;
import io.kobot.devstack.sample.InteractionKind;
import io.kobot.devstack.sample.Interactions;
import io.kobot.devstack.sample.SampleInteraction;
import io.kobot.devstack.sample.Tags;
import io.kobot.devstack.sample.WireEncoder;
import io.kobot.registry.SchemaRegistryClient;
import io.kobot.registry.SchemaRegistryClients;
import io.kobot.registry.SchemaRegistryConfig;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;
import io.kobot.schema.InteractionType;
import io.kobot.streams.enrich.Engagements;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's workload: the dev-stack sample of {@code records} positions over {@code users} users (5 %
 * copies, 70 % events, 60 % of users linked, half Avro), in the in-memory registry the pipeline reads. Events carry
 * their id first in {@code event_data} and pings a tracking URL ending in their id, so that the receiver can tell
 * every interaction apart.
 */
final class BenchSample {
    static final String APP = "kobot-bench-1a2b3c";
    static final Map<String, Object> REGISTRY = Map.of("schema.registry.url", "mock://bench");

    private BenchSample() {}

    static Interactions workload(long seed, int records, int users, URI receiver) {
        return Interactions.builder(seed)
                .positions(records)
                .users(users)
                .appIds(List.of(APP))
                .tags(new ReceiverTags(receiver))
                .build(encoder());
    }

    /** Avro registered in the in-memory registry the pipeline reads ({@link #REGISTRY}). */
    static WireEncoder encoder() {
        SchemaRegistryClient registry = SchemaRegistryClients.create(SchemaRegistryConfig.from(REGISTRY));
        return new WireEncoder(BotInteraction.getClassSchema(), IdentityLink.getClassSchema(), registry::register);
    }

    /** The engagement the pipeline makes of the interaction at {@code position}: what (c) sends without Kafka. */
    static Engagement engagement(Interactions workload, int position, long occurredAt) {
        int id = workload.idAt(position);
        SampleInteraction interaction = workload.interaction(id, occurredAt);
        BotInteraction raw = BotInteraction.newBuilder()
                .setInteractionId(interaction.interactionId())
                .setKochavaAppId(interaction.kochavaAppId())
                .setType(InteractionType.valueOf(interaction.kind().name()))
                .setFbUserId(interaction.fbUserId())
                .setOccurredAt(Instant.ofEpochMilli(occurredAt))
                .setEventName(interaction.eventName())
                .setEventData(interaction.eventData())
                .setTrackingUrl(interaction.trackingUrl())
                .setDeviceIds(new HashMap<>())
                .build();
        Integer user = workload.userOf(id);
        IdentityLink link = user != null && workload.hasLink(user)
                ? IdentityLink.newBuilder()
                        .setFbUserId(raw.getFbUserId())
                        .setDeviceIds(
                                new HashMap<>(workload.link(user, occurredAt, 0).deviceIds()))
                        .setUpdatedAt(raw.getOccurredAt())
                        .build()
                : null;
        return Engagements.of(raw, link, raw.getOccurredAt());
    }

    /** Ids where the loopback receiver reads them back (see {@link KochavaStandIn}). */
    private record ReceiverTags(URI receiver) implements Tags {
        @Override
        public String eventData(int id, String interactionId) {
            return "{\"id\":\"" + id + "\",\"name\":\"Shoes\",\"currency\":\"USD\",\"sum\":" + (id % 500) + "}";
        }

        @Override
        public String trackingUrl(int id, String interactionId, InteractionKind kind) {
            String name = kind == InteractionKind.IMPRESSION ? "impression" : "click";
            return receiver.resolve(KochavaStandIn.PING_PATH + id + "?kind=" + name)
                    .toString();
        }
    }
}
