package io.kobot.devstack;

import java.time.Duration;
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
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Creates topics on a single-node broker and waits until every partition has a leader. */
public final class TopicAdmin implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;

    public TopicAdmin(String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    public void createTopic(String name, int partitions, Map<String, String> configs) {
        // No replication factor: the broker default (1) is the only one a single node can satisfy.
        NewTopic topic = new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
        try {
            admin.createTopics(List.of(topic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitLeaders(name, partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Failed to create topic " + name, e);
        }
    }

    /**
     * The controller acknowledges creation before the broker's metadata cache has the topic;
     * describeTopics is answered from that cache, so a full answer means clients can use the topic.
     */
    private void awaitLeaders(String name, int partitions) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription description = admin.describeTopics(List.of(name))
                        .allTopicNames()
                        .get()
                        .get(name);
                if (description.partitions().size() == partitions
                        && description.partitions().stream()
                                .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Failed to describe topic " + name, e);
                }
            }
            Thread.sleep(20);
        }
        throw new TimeoutException(
                "Topic " + name + " has no leader for all " + partitions + " partitions after " + TIMEOUT);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
