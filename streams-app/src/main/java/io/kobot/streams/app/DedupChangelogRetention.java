package io.kobot.streams.app;

import io.kobot.streams.config.ConfigKeys;
import io.kobot.streams.config.PipelineConfig;
import io.kobot.streams.dedup.DeduplicationProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dedup store's changelog must keep ids at least {@code dedup.retention}, or a restore forgets them. Kafka
 * Streams sets its {@code retention.ms} only when it creates the topic (the store's retention, twice
 * {@code dedup.retention}, plus {@code windowstore.changelog.additional.retention.ms}) and never alters an existing one, so raising
 * {@code dedup.retention} later leaves the old value. Checked at start-up: a changelog that keeps less is raised
 * when {@code dedup.changelog.fix-retention=true}, and otherwise stops the start (exit code 3) with the command
 * that fixes it. A changelog that does not exist yet is left to Streams.
 */
final class DedupChangelogRetention {
    private static final Logger log = LoggerFactory.getLogger(DedupChangelogRetention.class);
    private static final long DEFAULT_ADDITIONAL_RETENTION_MS = 24 * 60 * 60 * 1000L;

    private final PipelineConfig config;
    private final Duration timeout;

    DedupChangelogRetention(PipelineConfig config, Duration timeout) {
        this.config = config;
        this.timeout = timeout;
    }

    static String changelogTopic(String applicationId) {
        return applicationId + "-" + DeduplicationProcessor.storeName() + "-changelog";
    }

    /** What Streams would have created the changelog with for the current {@code dedup.retention}. */
    long wantedRetentionMs() {
        String additional =
                config.kafkaProperties().get(StreamsConfig.WINDOW_STORE_CHANGE_LOG_ADDITIONAL_RETENTION_MS_CONFIG);
        return DeduplicationProcessor.storeRetention(config.dedupRetention()).toMillis()
                + (additional == null ? DEFAULT_ADDITIONAL_RETENTION_MS : Long.parseLong(additional.trim()));
    }

    void check(Admin admin) {
        String topic = changelogTopic(config.applicationId());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config topicConfig;
        try {
            topicConfig = get(admin.describeConfigs(List.of(resource)).values().get(resource));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return; // Streams creates it with the right retention
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException timeout) {
                throw timeout;
            }
            // E.g. no DescribeConfigs permission: not a reason to refuse to start, but worth saying.
            log.warn(
                    "Cannot check retention.ms of the dedup changelog {} ({}); make sure it is at least "
                            + "dedup.retention",
                    topic,
                    e.getCause().getMessage());
            return;
        }
        long dedupRetentionMs = config.dedupRetention().toMillis();
        ConfigEntry retention = topicConfig.get(TopicConfig.RETENTION_MS_CONFIG);
        ConfigEntry policy = topicConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        boolean deletes = policy == null || policy.value().contains(TopicConfig.CLEANUP_POLICY_DELETE);
        long retentionMs = retention == null ? -1 : Long.parseLong(retention.value());
        if (!deletes || retentionMs < 0 || retentionMs >= dedupRetentionMs) {
            return;
        }
        long wanted = wantedRetentionMs();
        if (config.fixDedupChangelogRetention()) {
            alter(admin, resource, wanted);
            log.warn(
                    "Raised retention.ms of {} from {} to {} to cover dedup.retention={} ({}=true)",
                    topic,
                    retentionMs,
                    wanted,
                    config.dedupRetention(),
                    ConfigKeys.DEDUP_CHANGELOG_FIX_RETENTION);
            return;
        }
        throw new TopicsNotReadyException("The dedup changelog " + topic + " keeps records for retention.ms="
                + retentionMs + ", less than dedup.retention=" + config.dedupRetention() + " ("
                + dedupRetentionMs + " ms): after a restore, ids older than that would be forgotten and their "
                + "copies delivered again. Kafka Streams never alters an existing changelog. Raise it with "
                + "kafka-configs.sh --bootstrap-server " + config.bootstrapServers() + " --alter --entity-type topics "
                + "--entity-name " + topic + " --add-config retention.ms=" + wanted + ", or set "
                + ConfigKeys.DEDUP_CHANGELOG_FIX_RETENTION + "=true to let the job do it at start-up.");
    }

    private void alter(Admin admin, ConfigResource resource, long retentionMs) {
        AlterConfigOp set = new AlterConfigOp(
                new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs)), AlterConfigOp.OpType.SET);
        try {
            get(admin.incrementalAlterConfigs(Map.of(resource, List.of(set))).all());
        } catch (ExecutionException e) {
            throw new TopicsNotReadyException("Cannot raise retention.ms of " + resource.name() + ": "
                    + e.getCause().getMessage());
        }
    }

    private <T> T get(KafkaFuture<T> future) throws ExecutionException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking the dedup changelog", e);
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("no answer to an admin request", e);
        }
    }
}
