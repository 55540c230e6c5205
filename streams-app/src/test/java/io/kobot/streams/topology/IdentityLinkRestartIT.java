package io.kobot.streams.topology;

import static io.kobot.streams.topology.Interactions.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kobot.schema.Engagement;
import io.kobot.streams.deliver.ExactlyOnceInstance;
import io.kobot.streams.enrich.LatestLinkProcessor;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The IdentityLink table across a restart, on the real broker and registry with exactly-once processing: the links
 * one instance took in enrich the events a later instance of the same application reads, and the updates and the
 * tombstone published while no instance ran are applied as they would have been (the latest {@code updated_at}
 * wins, a tombstone deletes). Run once restarted on the state directory it stopped with, and once closed at once and
 * restarted on an empty one, where the table and the link versions that decide which update wins must be restored
 * from their changelogs.
 */
@ExtendWith(RealInfrastructureExtension.class)
class IdentityLinkRestartIT {
    private static final int PARTITIONS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> USERS = List.of("kept", "updated", "older-update", "deleted");

    enum Restart {
        /** Closed cleanly (it leaves the group), started again on the state directory it closed with. */
        STOPPED_CLEANLY_SAME_STATE_DIRECTORY,
        /** Closed without waiting, started again on an empty state directory: every store restored from Kafka. */
        CLOSED_AT_ONCE_STATE_DIRECTORY_WIPED
    }

    private final List<KafkaStreams> instances = new ArrayList<>();
    private final List<PipelineSerdes> serdesOfInstances = new ArrayList<>();
    private BrokerRun run;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Restart.class)
    void linksTakenInBeforeARestartAndChangedWhileItWasDownEnrichEventsAfterIt(
            Restart restart,
            KafkaBroker broker,
            ApicurioRegistry registry,
            @TempDir Path stateDir,
            @TempDir Path emptyStateDir) {
        run = new BrokerRun(broker, registry, PARTITIONS, Map.of());
        String applicationId = "kobot-link-restart-" + run.id;
        Instant t = Instant.now().minusSeconds(60);

        // Before the restart: one link per user, taken in. An engagement of each user carrying it, committed,
        // shows that the link's table and version updates were committed too (same thread, same or earlier
        // transaction).
        USERS.forEach(user -> sendLink(user, t, "KD-" + user));
        run.flush();
        PipelineMetrics before = new PipelineMetrics();
        KafkaStreams first = start(broker, applicationId, stateDir, before, new RestoredRecords());
        await().atMost(TIMEOUT).until(() -> before.count(PipelineMetrics.LINK_UPDATES) == USERS.size());
        USERS.forEach(user -> sendEvent("before-" + user, user, t));
        run.flush();
        Map<String, Map<String, String>> enrichedBefore = deviceIdsById(run.readEngagements(USERS.size(), TIMEOUT));
        USERS.forEach(user -> assertThat(enrichedBefore.get("before-" + user))
                .as("before the restart, %s", user)
                .containsOnly(Map.entry("fb_user_id", user), Map.entry("kochava_device_id", "KD-" + user)));
        if (restart == Restart.STOPPED_CLEANLY_SAME_STATE_DIRECTORY) {
            first.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        } else {
            ExactlyOnceInstance.crash(first);
        }

        // While no instance runs: a newer update, an older one (it must lose to the link taken in), a tombstone.
        sendLink("updated", t.plusSeconds(10), "KD-updated-newer");
        sendLink("older-update", t.minusSeconds(10), "KD-older-update-older");
        run.sendLink("deleted", null);
        run.flush();

        PipelineMetrics after = new PipelineMetrics();
        RestoredRecords restored = new RestoredRecords();
        Path restartStateDir = restart == Restart.STOPPED_CLEANLY_SAME_STATE_DIRECTORY ? stateDir : emptyStateDir;
        start(broker, applicationId, restartStateDir, after, restored);
        await().atMost(TIMEOUT)
                .until(() -> after.count(PipelineMetrics.LINK_UPDATES)
                                + after.count(PipelineMetrics.LINK_STALE_IGNORED)
                                + after.count(PipelineMetrics.LINK_DELETES)
                        >= 3);
        assertThat(after.count(PipelineMetrics.LINK_UPDATES))
                .as("updates applied after the restart: the newer one; the older lost to the version taken in before")
                .isEqualTo(1);
        assertThat(after.count(PipelineMetrics.LINK_STALE_IGNORED)).isEqualTo(1);
        assertThat(after.count(PipelineMetrics.LINK_DELETES)).isEqualTo(1);

        USERS.forEach(user -> sendEvent("after-" + user, user, t));
        run.flush();
        // Read once every engagement is committed (and a little longer): each assertion below is about a record
        // that was processed, the one without ids included.
        Map<String, Map<String, String>> enriched = deviceIdsById(run.readEngagements(2 * USERS.size(), TIMEOUT));
        assertThat(enriched).hasSize(2 * USERS.size());
        assertThat(enriched.get("after-kept"))
                .containsOnly(Map.entry("fb_user_id", "kept"), Map.entry("kochava_device_id", "KD-kept"));
        assertThat(enriched.get("after-updated"))
                .containsOnly(Map.entry("fb_user_id", "updated"), Map.entry("kochava_device_id", "KD-updated-newer"));
        assertThat(enriched.get("after-older-update"))
                .containsOnly(
                        Map.entry("fb_user_id", "older-update"), Map.entry("kochava_device_id", "KD-older-update"));
        assertThat(enriched.get("after-deleted")).containsOnly(Map.entry("fb_user_id", "deleted"));
        assertThat(after.count(PipelineMetrics.ENRICHED_WITH_LINK)).isEqualTo(3);
        assertThat(after.count(PipelineMetrics.ENRICHED_WITHOUT_LINK)).isEqualTo(1);
        assertThat(after.deadLettered()).isZero();

        if (restart == Restart.CLOSED_AT_ONCE_STATE_DIRECTORY_WIPED) {
            // The table and the versions came from their changelogs, one record per link taken in.
            assertThat(restored.of(PipelineTopology.LINKS_STORE)).isEqualTo(USERS.size());
            assertThat(restored.of(LatestLinkProcessor.VERSIONS_STORE_NAME)).isEqualTo(USERS.size());
        } else {
            // On the state it stopped with, nothing is restored: under exactly-once Kafka Streams wipes and restores
            // a task in which a store has no committed offset, as an empty window store (which keeps its offset in
            // its segments) has none.
            assertThat(restored.total())
                    .as("records restored, by store: %s", restored)
                    .isZero();
        }
    }

    @AfterEach
    void stop() {
        instances.forEach(streams -> streams.close(Duration.ofSeconds(30)));
        serdesOfInstances.forEach(PipelineSerdes::close);
        if (run != null) {
            run.close();
        }
    }

    /** Starts an instance with its own serdes (its own registry client and cache), as a process would. */
    private KafkaStreams start(
            KafkaBroker broker,
            String applicationId,
            Path stateDir,
            PipelineMetrics metrics,
            RestoredRecords restored) {
        PipelineSerdes serdes = new PipelineSerdes(run.registryConfig);
        serdesOfInstances.add(serdes);
        TopologySettings settings =
                TopologySettings.DEFAULTS.withTopics(run.topics).withSourcePartitions(PARTITIONS);
        KafkaStreams streams = new KafkaStreams(
                new PipelineTopology(settings, serdes, metrics, EngagementSink.NONE).build(),
                ExactlyOnceInstance.streamsProperties(
                        broker, applicationId, stateDir, run.topics.deadLetters(), metrics, serdes));
        streams.setGlobalStateRestoreListener(restored);
        instances.add(streams);
        streams.start();
        return streams;
    }

    private void sendLink(String user, Instant updatedAt, String kochavaDeviceId) {
        run.sendLink(user, run.avro(Interactions.link(user, updatedAt, Map.of("kochava_device_id", kochavaDeviceId))));
    }

    private void sendEvent(String id, String user, Instant occurredAt) {
        run.send(user, run.avro(event(id, user, occurredAt).build()));
    }

    private static Map<String, Map<String, String>> deviceIdsById(List<Engagement> engagements) {
        return engagements.stream()
                .collect(Collectors.toMap(e -> e.getInteractionId().toString(), Engagement::getDeviceIds));
    }

    /** Records restored into each store from its changelog, over all partitions. */
    private static final class RestoredRecords implements StateRestoreListener {
        private final Map<String, Long> byStore = new ConcurrentHashMap<>();

        long of(String store) {
            return byStore.getOrDefault(store, 0L);
        }

        long total() {
            return byStore.values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public String toString() {
            return byStore.toString();
        }

        @Override
        public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {}

        @Override
        public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long restored) {
            byStore.merge(store, restored, Long::sum);
        }

        @Override
        public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {}
    }
}
