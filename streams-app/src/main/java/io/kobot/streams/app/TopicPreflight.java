package io.kobot.streams.app;

import io.kobot.streams.config.PipelineConfig;
import io.kobot.streams.topology.TopicNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks the pipeline's topics before Streams starts, and creates missing ones when {@code topics.create=true}.
 * The interactions and identity-links topics must have the same partition count: the KTable join is
 * partition-local, so with different counts a user's interactions and link would meet in different tasks and
 * silently never join (Streams would only notice at its first rebalance, with a less helpful error).
 * Internal (changelog, repartition) topics are left to Kafka Streams.
 */
public final class TopicPreflight {
    private static final Logger log = LoggerFactory.getLogger(TopicPreflight.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Dead letters are kept long enough for someone to look at them and replay them. */
    private static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(30);

    private final PipelineConfig config;

    public TopicPreflight(PipelineConfig config) {
        this.config = config;
    }

    /**
     * @return the partition count of the interactions and identity-links topics, against which the pipeline
     *         judges where their records sit
     * @throws TopicsNotReadyException with a message that says what to fix
     */
    public int run() {
        try (Admin admin = Admin.create(StreamsProperties.admin(config))) {
            TopicNames topics = config.topicNames();
            if (config.createTopics()) {
                createMissing(admin, topics);
            }
            return checkCoPartitioned(admin, topics);
        }
    }

    private void createMissing(Admin admin, TopicNames topics) {
        Map<String, Map<String, String>> wanted = new HashMap<>();
        wanted.put(topics.interactions(), deleteRetention(null));
        wanted.put(topics.identityLinks(), Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        wanted.put(topics.engagements(), deleteRetention(null));
        wanted.put(topics.deliveries(), deleteRetention(null));
        wanted.put(topics.deadLetters(), deleteRetention(DEAD_LETTER_RETENTION));
        Map<String, Optional<Integer>> existing = partitionCounts(admin, List.copyOf(wanted.keySet()));
        List<NewTopic> missing = new ArrayList<>();
        wanted.forEach((name, configs) -> {
            if (existing.get(name).isEmpty()) {
                missing.add(new NewTopic(name, Optional.of(config.topicPartitions()), config.topicReplicationFactor())
                        .configs(configs));
            }
        });
        if (missing.isEmpty()) {
            return;
        }
        for (NewTopic topic : missing) {
            try {
                get(admin.createTopics(List.of(topic)).all());
                log.info("Created topic {} ({} partitions, {})", topic.name(), topic.numPartitions(), topic.configs());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) { // another instance was quicker
                    throw new TopicsNotReadyException("Cannot create topic " + topic.name() + ": "
                            + e.getCause().getMessage());
                }
            }
        }
        awaitVisible(admin, missing.stream().map(NewTopic::name).toList());
    }

    /**
     * The controller acknowledges a creation before every broker's metadata cache has the topic, and topics are
     * described from that cache: wait until it answers for all of them, so the check that follows sees them.
     */
    private static void awaitVisible(Admin admin, List<String> created) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (partitionCounts(admin, created).values().stream().anyMatch(Optional::isEmpty)) {
            if (System.nanoTime() > deadline) {
                throw new TopicsNotReadyException("Created topic(s) " + created + " but the cluster did not show "
                        + "them within " + TIMEOUT);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for created topics", e);
            }
        }
    }

    private static Map<String, String> deleteRetention(Duration retention) {
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        if (retention != null) {
            configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
        }
        return configs;
    }

    private int checkCoPartitioned(Admin admin, TopicNames topics) {
        Map<String, Optional<Integer>> counts = partitionCounts(admin,
                List.of(topics.interactions(), topics.identityLinks()));
        List<String> missing = counts.entrySet().stream().filter(e -> e.getValue().isEmpty())
                .map(Map.Entry::getKey).sorted().toList();
        if (!missing.isEmpty()) {
            throw new TopicsNotReadyException("Missing topic(s) " + missing + " on " + config.bootstrapServers()
                    + ": create them (with as many partitions each) or set topics.create=true");
        }
        int interactions = counts.get(topics.interactions()).orElseThrow();
        int links = counts.get(topics.identityLinks()).orElseThrow();
        if (interactions != links) {
            throw new TopicsNotReadyException("Topics " + topics.interactions() + " (" + interactions
                    + " partitions) and " + topics.identityLinks() + " (" + links + " partitions) are not "
                    + "co-partitioned: the identity-link join needs the same partition count on both");
        }
        log.info("Topics {} and {} are co-partitioned ({} partitions)", topics.interactions(),
                topics.identityLinks(), interactions);
        return interactions;
    }

    /** Partition count by topic; empty for a topic that does not exist. */
    private static Map<String, Optional<Integer>> partitionCounts(Admin admin, List<String> names) {
        Map<String, Optional<Integer>> counts = new HashMap<>();
        admin.describeTopics(names).topicNameValues().forEach((name, future) -> {
            try {
                TopicDescription description = get(future);
                counts.put(name, Optional.of(description.partitions().size()));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new TopicsNotReadyException("Cannot describe topic " + name + ": " + e.getCause().getMessage());
                }
                counts.put(name, Optional.empty());
            }
        });
        return counts;
    }

    private static <T> T get(KafkaFuture<T> future) throws ExecutionException {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking topics", e);
        } catch (TimeoutException e) {
            // Not a topic problem but an unreachable cluster: a runtime failure, not exit code 3.
            throw new IllegalStateException("No answer from the Kafka cluster within " + TIMEOUT
                    + " while checking topics", e);
        }
    }
}
