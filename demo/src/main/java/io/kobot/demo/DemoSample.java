package io.kobot.demo;

import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.IdentityLink;
import io.kobot.schema.InteractionType;
import io.kobot.streams.deadletter.RejectionReason;
import io.kobot.streams.ingest.JoinKey;
import io.kobot.streams.topology.TopicNames;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The demo's bundled sample, generated from a fixed seed so every run publishes the same records (only the
 * times follow the clock): greetings (impressions), clicks, Purchase and chat events, 5% duplicates (retried
 * webhooks, same bytes), identity links for every third user (one updated, one deleted), and a few malformed
 * records, in Avro and JSON alike. All ids are synthetic. It knows what the pipeline must make of it.
 */
final class DemoSample {
    private static final long SEED = 20260101L;
    private static final List<String> APPS = List.of("kobot-demo-1a2b3c", "kobot-demo-4d5e6f");
    private static final List<String> PRODUCTS = List.of("Shoes", "Jacket", "Scarf", "Backpack");
    private static final List<String> CHAT_EVENTS = List.of("Start Chatting", "Ask Question", "Subscribe");

    /** What the pipeline must produce from the sample. */
    record Expected(
            int received,
            int duplicates,
            int engagements,
            int linked,
            int unlinked,
            int withoutUser,
            int events,
            int pings,
            Map<String, Integer> deadLettersByReason) {
        int deadLetters() {
            return deadLettersByReason.values().stream()
                    .mapToInt(Integer::intValue)
                    .sum();
        }
    }

    private final List<ProducerRecord<byte[], byte[]>> links = new ArrayList<>();
    private final List<ProducerRecord<byte[], byte[]>> interactions = new ArrayList<>();
    private final Expected expected;

    private DemoSample(
            TopicNames topics, int uniqueInteractions, URI trackingBase, Map<String, ?> registryConfig, Instant now) {
        Random random = new Random(SEED);
        try (SpecificAvroSerde<BotInteraction> interactionSerde =
                        SpecificAvroSerde.of(BotInteraction.class, registryConfig, false);
                SpecificAvroSerde<IdentityLink> linkSerde =
                        SpecificAvroSerde.of(IdentityLink.class, registryConfig, false)) {
            int users = Math.max(10, uniqueInteractions / 20);
            Map<String, Boolean> linkedUsers = publishLinks(topics.identityLinks(), users, linkSerde, random, now);

            List<ProducerRecord<byte[], byte[]>> unique = new ArrayList<>();
            int linked = 0;
            int unlinked = 0;
            int withoutUser = 0;
            int events = 0;
            for (int i = 0; i < uniqueInteractions; i++) {
                BotInteraction interaction = interaction(i, users, trackingBase, random, now);
                String user = interaction.getFbUserId();
                if (user == null) {
                    withoutUser++;
                } else if (linkedUsers.getOrDefault(user, false)) {
                    linked++;
                } else {
                    unlinked++;
                }
                if (interaction.getType() == InteractionType.EVENT) {
                    events++;
                }
                byte[] value = random.nextBoolean()
                        ? interactionSerde.serializer().serialize(topics.interactions(), interaction)
                        : DemoJson.interaction(interaction, random.nextBoolean())
                                .getBytes(StandardCharsets.UTF_8);
                unique.add(new ProducerRecord<>(topics.interactions(), JoinKey.of(interaction), value));
            }
            interactions.addAll(unique);
            int duplicates = Math.round(uniqueInteractions * 0.05f);
            for (int d = 0; d < duplicates; d++) {
                // A retried webhook: the same bytes again, somewhere after the original.
                int original = random.nextInt(uniqueInteractions);
                ProducerRecord<byte[], byte[]> copy = unique.get(original);
                int position = interactions.indexOf(copy)
                        + 1
                        + random.nextInt(interactions.size() - interactions.indexOf(copy));
                interactions.add(position, new ProducerRecord<>(copy.topic(), copy.key(), copy.value()));
            }
            Map<String, Integer> deadLetters = new TreeMap<>();
            for (Malformed malformed : malformed(interactionSerde, topics.interactions(), trackingBase, now)) {
                interactions.add(
                        random.nextInt(interactions.size() + 1),
                        new ProducerRecord<>(topics.interactions(), malformed.key(), malformed.value()));
                deadLetters.merge(malformed.reason().name(), 1, Integer::sum);
            }
            int pings = uniqueInteractions - events;
            expected = new Expected(
                    interactions.size(),
                    duplicates,
                    uniqueInteractions,
                    linked,
                    unlinked,
                    withoutUser,
                    events,
                    pings,
                    deadLetters);
        }
    }

    static DemoSample generate(
            TopicNames topics, int uniqueInteractions, URI trackingBase, Map<String, ?> registryConfig, Instant now) {
        return new DemoSample(topics, uniqueInteractions, trackingBase, registryConfig, now);
    }

    List<ProducerRecord<byte[], byte[]>> links() {
        return links;
    }

    List<ProducerRecord<byte[], byte[]>> interactions() {
        return interactions;
    }

    Expected expected() {
        return expected;
    }

    /** Links for every third user; user 0's is updated, user 3's deleted. Returns which users end up linked. */
    private Map<String, Boolean> publishLinks(
            String topic, int users, SpecificAvroSerde<IdentityLink> serde, Random random, Instant now) {
        Map<String, Boolean> linked = new HashMap<>();
        for (int u = 0; u < users; u += 3) {
            String user = userId(u);
            IdentityLink link = link(user, u, 0, now.minusSeconds(3600));
            links.add(linkRecord(topic, link, serde, random));
            linked.put(user, true);
        }
        links.add(linkRecord(topic, link(userId(0), 0, 1, now.minusSeconds(1800)), serde, random));
        links.add(new ProducerRecord<>(topic, userId(3).getBytes(StandardCharsets.UTF_8), null));
        linked.put(userId(3), false);
        return linked;
    }

    private static IdentityLink link(String user, int u, int version, Instant updatedAt) {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("kochava_device_id", String.format("KD-demo-%04d-v%d", u, version));
        ids.put("adid", String.format("00000000-0000-4000-8000-%012d", u * 10 + version));
        return IdentityLink.newBuilder()
                .setFbUserId(user)
                .setDeviceIds(new HashMap<>(ids))
                .setUpdatedAt(updatedAt)
                .build();
    }

    private static ProducerRecord<byte[], byte[]> linkRecord(
            String topic, IdentityLink link, SpecificAvroSerde<IdentityLink> serde, Random random) {
        byte[] value = random.nextBoolean()
                ? serde.serializer().serialize(topic, link)
                : DemoJson.identityLink(link).getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, link.getFbUserId().getBytes(StandardCharsets.UTF_8), value);
    }

    private static BotInteraction interaction(int i, int users, URI trackingBase, Random random, Instant now) {
        String id = String.format("demo-%06d", i);
        String app = APPS.get(random.nextInt(APPS.size()));
        String user = userId(random.nextInt(users));
        Instant occurredAt = now.minusSeconds(600).plusMillis(i);
        BotInteraction.Builder builder = BotInteraction.newBuilder()
                .setInteractionId(id)
                .setKochavaAppId(app)
                .setOccurredAt(occurredAt)
                .setDeviceIds(new HashMap<>());
        int kind = random.nextInt(10);
        if (kind < 3) {
            // A greeting pushed to a user who has not clicked yet; the user is in scope half of the time.
            return builder.setType(InteractionType.IMPRESSION)
                    .setFbUserId(random.nextBoolean() ? user : null)
                    .setTrackingUrl(trackingBase
                            .resolve("impression/" + app + "?ref=" + id)
                            .toString())
                    .build();
        }
        if (kind < 5) {
            return builder.setType(InteractionType.CLICK)
                    .setFbUserId(user)
                    .setTrackingUrl(
                            trackingBase.resolve("click/" + app + "?ref=" + id).toString())
                    .build();
        }
        builder.setType(InteractionType.EVENT).setFbUserId(user).setOriginationIp("203.0.113." + (i % 250 + 1));
        if (kind < 7) {
            String product = PRODUCTS.get(random.nextInt(PRODUCTS.size()));
            return builder.setEventName("Purchase")
                    .setEventData(String.format(
                            "{\"id\":\"%s\",\"name\":\"%s\",\"currency\":\"USD\",\"sum\":%d,\"ref\":\"%s\"}",
                            "SKU-" + (100 + PRODUCTS.indexOf(product)), product, 10 + random.nextInt(190), id))
                    .build();
        }
        return builder.setEventName(CHAT_EVENTS.get(random.nextInt(CHAT_EVENTS.size())))
                .setEventData(String.format("{\"messages\":%d,\"ref\":\"%s\"}", 1 + random.nextInt(20), id))
                .build();
    }

    private record Malformed(byte[] key, byte[] value, RejectionReason reason) {}

    private static List<Malformed> malformed(
            SpecificAvroSerde<BotInteraction> serde, String topic, URI trackingBase, Instant now) {
        BotInteraction eventWithoutUser = BotInteraction.newBuilder()
                .setInteractionId("demo-bad-avro-event")
                .setKochavaAppId(APPS.get(0))
                .setType(InteractionType.EVENT)
                .setOccurredAt(now.minusSeconds(60))
                .setEventName("Purchase")
                .setDeviceIds(new HashMap<>())
                .build();
        byte[] unknownSchema = {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6};
        return List.of(
                new Malformed(
                        null, new byte[] {0x13, (byte) 0xe2, 0x55, 0x01, (byte) 0x9c}, RejectionReason.UNPARSEABLE),
                new Malformed(
                        null, utf8("{\"interaction_id\": \"demo-bad-json\", \"type\": "), RejectionReason.UNPARSEABLE),
                new Malformed(
                        utf8("demo-bad-event"),
                        utf8("{\"interaction_id\":\"demo-bad-event\",\"kochava_app_id\":\""
                                + APPS.get(1) + "\",\"type\":\"EVENT\",\"occurred_at\":"
                                + now.minusSeconds(60).toEpochMilli()
                                + ",\"event_name\":\"Purchase\"}"),
                        RejectionReason.MISSING_FB_USER_ID),
                new Malformed(
                        utf8("demo-bad-avro-event"),
                        serde.serializer().serialize(topic, eventWithoutUser),
                        RejectionReason.MISSING_FB_USER_ID),
                new Malformed(
                        utf8("demo-bad-url"),
                        utf8("{\"interaction_id\":\"demo-bad-url\",\"kochava_app_id\":\""
                                + APPS.get(0) + "\",\"type\":\"CLICK\",\"occurred_at\":\"" + now.minusSeconds(60)
                                + "\",\"tracking_url\":\"smartlink without a scheme\"}"),
                        RejectionReason.INVALID_TRACKING_URL),
                new Malformed(null, unknownSchema, RejectionReason.INVALID_AVRO));
    }

    private static String userId(int u) {
        return String.format("demo-psid-%06d", u);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
