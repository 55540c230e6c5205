package io.kobot.bench;

import io.kobot.streams.topology.TopicNames;
import java.util.Map;

/**
 * Each phase reads its own copy of the workload from its own topics, so that every phase starts with half the
 * records waiting and receives the other half while it runs. The identity links are shared: every Streams
 * application reads them from the start.
 */
final class PhaseTopics {
    static final String LINKS = "bench.identity-links";

    private PhaseTopics() {}

    static TopicNames create(BrokerProcess broker, String phase, int partitions) {
        TopicNames topics = new TopicNames(
                phase + ".interactions",
                LINKS,
                phase + ".engagements",
                phase + ".engagements.delivered",
                phase + ".interactions.dlq");
        broker.createTopic(topics.interactions(), partitions, Map.of());
        broker.createTopic(topics.engagements(), partitions, Map.of());
        broker.createTopic(topics.deliveries(), partitions, Map.of());
        broker.createTopic(topics.deadLetters(), 1, Map.of());
        return topics;
    }

    static void createLinks(BrokerProcess broker, int partitions) {
        broker.createTopic(LINKS, partitions, Map.of("cleanup.policy", "compact"));
    }
}
