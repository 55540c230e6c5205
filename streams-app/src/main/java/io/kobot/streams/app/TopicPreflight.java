package io.kobot.streams.app;

import io.kobot.streams.config.ConfigKeys;
import io.kobot.streams.config.DeliveryMode;
import io.kobot.streams.config.PipelineConfig;
import io.kobot.streams.dedup.DeduplicationProcessor;
import io.kobot.streams.topology.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the pipeline's topics before Streams starts, and creates missing ones when {@code topics.create=true}.
 * The interactions and identity-links topics must have the same partition count: the KTable join is
 * partition-local, so with different counts a user's interactions and link would meet in different tasks and
 * silently never join (Streams would only notice at its first rebalance, with a less helpful error).
 * Every topic the job writes must exist too, so that a missing output stops the start at once (exit code 3)
 * instead of blocking each stream thread until it dies. Internal (changelog, repartition) topics are left to
 * Kafka Streams.
 */
public final class TopicPreflight {
    private static final Logger log = LoggerFactory.getLogger(TopicPreflight.class);
    /** Beyond the admin client's own timeout, in case a call never completes. */
    private static final Duration TIMEOUT_MARGIN = Duration.ofSeconds(5);
    /** Dead letters are kept long enough for someone to look at them and replay them. */
    private static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(30);

    private final PipelineConfig config;

    public TopicPreflight(PipelineConfig config) {
        this.config = config;
    }

    /**
     * What the checks found that shapes the topology.
     *
     * @param sourcePartitions   the partition count of the interactions and identity-links topics, against which the
     *                           pipeline judges where their records sit
     * @param previousDedupStore whether the changelog of the dedup store of earlier versions exists: an upgrade from
     *                           them is in progress, and dedup reads that store too until the changelog is deleted
     */
    public record Result(int sourcePartitions, boolean previousDedupStore) {}

    /**
     * @throws TopicsNotReadyException   with a message that says what to fix
     * @throws KafkaUnreachableException when the cluster does not answer within {@code startup.kafka-timeout}
     */
    public Result run() {
        long started = System.nanoTime();
        Admin admin = createAdmin();
        try {
            TopicNames topics = config.topicNames();
            if (config.createTopics()) {
                createMissing(admin, topics);
            }
            requireExisting(admin, topicsRead(topics), topicsWritten(config));
            int partitions = checkCoPartitioned(admin, topics);
            new DedupChangelogRetention(config, config.startupKafkaTimeout().plus(TIMEOUT_MARGIN)).check(admin);
            return new Result(partitions, previousDedupChangelogExists(admin));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw KafkaUnreachableException.noAnswer(
                    config.bootstrapServers(),
                    securityProtocol(),
                    "the admin requests that check the topics",
                    Duration.ofNanos(System.nanoTime() - started),
                    config.startupKafkaTimeout(),
                    e);
        } catch (AuthenticationException e) {
            throw KafkaUnreachableException.refused(config.bootstrapServers(), securityProtocol(), e);
        } finally {
            admin.close(Duration.ZERO); // nothing is left to wait for: pending calls have failed or completed
        }
    }

    /** An admin client whose calls give up after {@code startup.kafka-timeout}. */
    private Admin createAdmin() {
        Map<String, Object> props = StreamsProperties.admin(config);
        int timeoutMs =
                (int) Math.min(Integer.MAX_VALUE, config.startupKafkaTimeout().toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        try {
            return Admin.create(props);
        } catch (KafkaException e) {
            Throwable cause = e instanceof ConfigException ? e : e.getCause();
            // "No resolvable bootstrap urls given in bootstrap.servers"; other settings problems stay as they are.
            if (cause instanceof ConfigException
                    && String.valueOf(cause.getMessage()).contains("bootstrap")) {
                throw KafkaUnreachableException.unresolvable(config.bootstrapServers(), cause);
            }
            throw e;
        }
    }

    private String securityProtocol() {
        return config.kafkaProperties()
                .getOrDefault(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, AdminClientConfig.DEFAULT_SECURITY_PROTOCOL);
    }

    private void createMissing(Admin admin, TopicNames topics) {
        Map<String, Map<String, String>> wanted = new HashMap<>();
        wanted.put(topics.interactions(), deleteRetention(null));
        wanted.put(
                topics.identityLinks(), Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
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
                rethrowClusterFailure(e);
                if (!(e.getCause() instanceof TopicExistsException)) { // another instance was quicker
                    throw new TopicsNotReadyException("Cannot create topic " + topic.name() + ": "
                            + e.getCause().getMessage());
                }
            }
        }
        awaitVisible(admin, missing.stream().map(NewTopic::name).toList());
    }

    /** A created topic reaches the brokers' metadata a moment after the controller confirms it. */
    private void awaitVisible(Admin admin, List<String> names) {
        long deadline = System.nanoTime() + config.startupKafkaTimeout().toNanos();
        while (partitionCounts(admin, names).values().stream().anyMatch(Optional::isEmpty)
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
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

    /** The source topics the job reads (internal topics are Streams' own). */
    static List<String> topicsRead(TopicNames topics) {
        return List.of(topics.interactions(), topics.identityLinks());
    }

    /**
     * The topics the job writes: without one of them a stream thread would block on its first record for
     * {@code max.block.ms}, die, and be replaced until the instance gives up, minutes later.
     */
    static List<String> topicsWritten(PipelineConfig config) {
        TopicNames topics = config.topicNames();
        List<String> written = new ArrayList<>();
        if (config.writeEngagements()) {
            written.add(topics.engagements());
        }
        if (config.deliveryMode() == DeliveryMode.TOPOLOGY) {
            written.add(topics.deliveries());
        }
        written.add(topics.deadLetters());
        return written;
    }

    /** Every topic read or written must exist; names the missing ones, inputs and outputs apart. */
    private void requireExisting(Admin admin, List<String> read, List<String> written) {
        List<String> all = new ArrayList<>(read);
        all.addAll(written);
        Map<String, Optional<Integer>> counts = partitionCounts(admin, all);
        List<String> missingInputs =
                read.stream().filter(name -> counts.get(name).isEmpty()).toList();
        List<String> missingOutputs =
                written.stream().filter(name -> counts.get(name).isEmpty()).toList();
        if (missingInputs.isEmpty() && missingOutputs.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder("Missing topic(s) on ")
                .append(config.bootstrapServers())
                .append(':');
        if (!missingInputs.isEmpty()) {
            message.append(" read ").append(missingInputs).append(" (create them with as many partitions each)");
        }
        if (!missingOutputs.isEmpty()) {
            message.append(missingInputs.isEmpty() ? "" : ";")
                    .append(" written ")
                    .append(missingOutputs);
        }
        throw new TopicsNotReadyException(message.append(". Create them, or set ")
                .append(ConfigKeys.TOPICS_CREATE)
                .append("=true to have the job create every missing one at start-up.")
                .toString());
    }

    private int checkCoPartitioned(Admin admin, TopicNames topics) {
        Map<String, Optional<Integer>> counts = partitionCounts(admin, topicsRead(topics));
        int interactions = counts.get(topics.interactions()).orElseThrow();
        int links = counts.get(topics.identityLinks()).orElseThrow();
        if (interactions != links) {
            throw new TopicsNotReadyException("Topics " + topics.interactions() + " (" + interactions
                    + " partitions) and " + topics.identityLinks() + " (" + links + " partitions) are not "
                    + "co-partitioned: the identity-link join needs the same partition count on both");
        }
        log.info(
                "Topics {} and {} are co-partitioned ({} partitions)",
                topics.interactions(),
                topics.identityLinks(),
                interactions);
        return interactions;
    }

    /**
     * The dedup store of the versions before {@code dedup-first-copies} is read only while its changelog exists: a new
     * deployment never creates it, and an upgraded one deletes it once nothing in it counts any more
     * (docs/operations.md). Registered but empty, the store would make Kafka Streams restore every task from its
     * changelogs at each start under exactly-once (see {@link DeduplicationProcessor#storeBuilders}).
     */
    private boolean previousDedupChangelogExists(Admin admin) {
        String changelog = config.applicationId() + "-" + DeduplicationProcessor.previousStoreName() + "-changelog";
        boolean exists =
                partitionCounts(admin, List.of(changelog)).get(changelog).isPresent();
        if (exists) {
            log.info(
                    "Upgrade from the dedup store {} in progress: its changelog {} exists, so dedup reads that store"
                            + " too; delete the changelog once dedup.retention plus one day has passed since the"
                            + " upgrade (docs/operations.md)",
                    DeduplicationProcessor.previousStoreName(),
                    changelog);
        }
        return exists;
    }

    /** Partition count by topic; empty for a topic that does not exist. */
    private Map<String, Optional<Integer>> partitionCounts(Admin admin, List<String> names) {
        Map<String, Optional<Integer>> counts = new HashMap<>();
        admin.describeTopics(names).topicNameValues().forEach((name, future) -> {
            try {
                TopicDescription description = get(future);
                counts.put(name, Optional.of(description.partitions().size()));
            } catch (ExecutionException e) {
                rethrowClusterFailure(e);
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new TopicsNotReadyException("Cannot describe topic " + name + ": "
                            + e.getCause().getMessage());
                }
                counts.put(name, Optional.empty());
            }
        });
        return counts;
    }

    /** Not a topic problem but an unreachable or refusing cluster: exit code 4, not 3. */
    private static void rethrowClusterFailure(ExecutionException e) {
        if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException timeout) {
            throw timeout;
        }
        if (e.getCause() instanceof AuthenticationException refused) {
            throw refused;
        }
    }

    private <T> T get(KafkaFuture<T> future) throws ExecutionException {
        try {
            return future.get(config.startupKafkaTimeout().plus(TIMEOUT_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking topics", e);
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("no answer to an admin request", e);
        }
    }
}
