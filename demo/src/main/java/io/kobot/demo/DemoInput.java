package io.kobot.demo;

import io.kobot.devstack.sample.FuzzedRecords;
import io.kobot.devstack.sample.InteractionKind;
import io.kobot.devstack.sample.Interactions;
import io.kobot.devstack.sample.SampleInteraction;
import io.kobot.devstack.sample.SampleRecord;
import io.kobot.devstack.sample.Tags;
import io.kobot.devstack.sample.WireEncoder;
import io.kobot.registry.SchemaRegistryClient;
import io.kobot.registry.SchemaRegistryClients;
import io.kobot.registry.SchemaRegistryConfig;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.IdentityLink;
import io.kobot.streams.topology.TopicNames;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The demo's input, from the dev-stack sample generator with a fixed seed, so every run publishes the same records
 * (only the times follow the clock): greetings (impressions), clicks, Purchase and chat events from two apps, 5 %
 * retried copies, identity links for about a third of the users (one updated, one deleted), and a few malformed
 * records, in Avro and both JSON forms. All ids are synthetic. It knows what the pipeline must make of it.
 */
final class DemoInput {
    private static final long SEED = 20260101L;
    private static final List<String> APPS = List.of("kobot-demo-1a2b3c", "kobot-demo-4d5e6f");
    private static final List<String> EVENTS = List.of("Purchase", "Start Chatting", "Ask Question", "Subscribe");
    private static final List<String> PRODUCTS = List.of("Shoes", "Jacket", "Scarf", "Backpack");

    /** What the pipeline must produce from the input. */
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

    private final List<SampleRecord> links = new ArrayList<>();
    private final List<SampleRecord> interactions = new ArrayList<>();
    private final Expected expected;

    private DemoInput(
            TopicNames topics, int uniqueInteractions, URI trackingBase, Map<String, ?> registryConfig, Instant now) {
        try (SchemaRegistryClient registry = SchemaRegistryClients.create(SchemaRegistryConfig.from(registryConfig))) {
            WireEncoder encoder =
                    new WireEncoder(BotInteraction.getClassSchema(), IdentityLink.getClassSchema(), registry::register);
            Interactions sample = Interactions.builder(SEED)
                    .unique(uniqueInteractions)
                    .users(Math.max(10, uniqueInteractions / 20))
                    .linkedShare(0.35)
                    .mix(0.5, 0.3)
                    .isoTextShare(0.5)
                    .appIds(APPS)
                    .eventNames(EVENTS)
                    .originationIps(true)
                    .idPrefix("demo-")
                    .userPrefix("demo-psid-")
                    .occurredAtBase(now.minusSeconds(600).toEpochMilli())
                    .tags(new DemoTags(trackingBase))
                    .build(encoder);
            Set<String> linkedUsers = publishLinks(sample, topics.identityLinks(), now);

            int linked = 0;
            int unlinked = 0;
            int withoutUser = 0;
            int events = 0;
            for (int position = 0; position < sample.positions(); position++) {
                interactions.add(sample.record(topics.interactions(), position));
                if (!sample.isOriginal(position)) {
                    continue;
                }
                SampleInteraction interaction = sample.interaction(sample.idAt(position), 0);
                if (interaction.fbUserId() == null) {
                    withoutUser++;
                } else if (linkedUsers.contains(interaction.fbUserId())) {
                    linked++;
                } else {
                    unlinked++;
                }
                if (interaction.isEvent()) {
                    events++;
                }
            }
            Map<String, Integer> deadLetters = new TreeMap<>();
            Random random = new Random(SEED);
            FuzzedRecords bad = new FuzzedRecords(
                    "demo-",
                    APPS.get(0),
                    encoder,
                    topics.interactions(),
                    0,
                    now.minusSeconds(60).toEpochMilli(),
                    SEED);
            for (SampleRecord malformed : bad.malformed()) {
                interactions.add(random.nextInt(interactions.size() + 1), malformed);
                deadLetters.merge(malformed.kind(), 1, Integer::sum);
            }
            expected = new Expected(
                    interactions.size(),
                    sample.positions() - sample.uniqueCount(),
                    sample.uniqueCount(),
                    linked,
                    unlinked,
                    withoutUser,
                    events,
                    sample.uniqueCount() - events,
                    deadLetters);
        }
    }

    static DemoInput generate(
            TopicNames topics, int uniqueInteractions, URI trackingBase, Map<String, ?> registryConfig, Instant now) {
        return new DemoInput(topics, uniqueInteractions, trackingBase, registryConfig, now);
    }

    List<SampleRecord> links() {
        return links;
    }

    List<SampleRecord> interactions() {
        return interactions;
    }

    Expected expected() {
        return expected;
    }

    /** Every linked user's link, then a newer link for the first and a deletion of the second; who ends up linked. */
    private Set<String> publishLinks(Interactions sample, String topic, Instant now) {
        sample.linkRecords(topic, now.minusSeconds(3600).toEpochMilli()).forEachRemaining(links::add);
        List<Integer> linkedUsers = new ArrayList<>();
        for (int user = 0; user < sample.users(); user++) {
            if (sample.hasLink(user)) {
                linkedUsers.add(user);
            }
        }
        Set<String> linked = new HashSet<>();
        linkedUsers.forEach(user -> linked.add(sample.userId(user)));
        if (linkedUsers.size() >= 2) {
            links.add(sample.linkRecord(
                    topic, linkedUsers.get(0), now.minusSeconds(1800).toEpochMilli(), 1));
            links.add(sample.tombstone(linkedUsers.get(1)));
            linked.remove(sample.userId(linkedUsers.get(1)));
        }
        return linked;
    }

    /** The interaction id in each ping URL and in event_data as {@code ref}, where the demo reads it back. */
    private record DemoTags(URI trackingBase) implements Tags {
        @Override
        public String eventData(int id, String interactionId) {
            String product = PRODUCTS.get(id % PRODUCTS.size());
            return String.format(
                    "{\"id\":\"SKU-%d\",\"name\":\"%s\",\"currency\":\"USD\",\"sum\":%d,\"ref\":\"%s\"}",
                    100 + PRODUCTS.indexOf(product), product, 10 + id % 190, interactionId);
        }

        @Override
        public String trackingUrl(int id, String interactionId, InteractionKind kind) {
            return trackingBase
                    .resolve(kind.name().toLowerCase(Locale.ROOT) + "?ref=" + interactionId)
                    .toString();
        }
    }
}
