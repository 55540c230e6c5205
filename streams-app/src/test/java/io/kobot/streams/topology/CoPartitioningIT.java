package io.kobot.streams.topology;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.kobot.streams.topology.BrokerRun.utf8;
import static io.kobot.streams.topology.Interactions.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.kobot.devstack.sample.Crc32Partitioner;
import io.kobot.partitioning.JoinKeyPartitioner;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.IdentityLink;
import io.kobot.streams.deliver.KochavaDelivery;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Producers with other partitioners, on a real broker, through the real topology to a stand-in Kochava endpoint:
 * interactions and identity links written to the partitions a librdkafka client's default partitioner
 * ({@code consistent_random}: CRC32 of the key modulo the partition count) would choose, and mixed with links or
 * events placed by murmur2 as a Java client would. Every user here is chosen so that the two partitioners
 * disagree, so each CRC32-placed record really sits in another task than its join key's.
 *
 * <p>Asserted on what reaches the endpoint: every event carries its user's linked device id (the latest one when
 * two updates came by different paths), a tombstone from a CRC32 client removes the link for later events, three
 * copies of one interaction with different keys and partitions are delivered exactly once, and misplaced records
 * are counted by topic. The same holds whichever function the pipeline places join keys by
 * ({@code partitioning.partitioner}); what changes is which records are misplaced and take the repartition topic.
 */
@ExtendWith(RealInfrastructureExtension.class)
class CoPartitioningIT {
    private static final int PARTITIONS = 6;
    private static final String TRACK = "/track/json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer kochava = new WireMockServer(wireMockConfig().dynamicPort());
    private final Instant t = Instant.now().minusSeconds(60);
    private final List<String> crc32Users = usersWhoseCrc32AndMurmur2PartitionsDiffer(40);
    private BrokerRun run;
    private KochavaDelivery delivery;
    private KafkaStreams streams;
    private int misplacedInteractions;
    private int misplacedLinks;
    private int nextUser;
    private Path stateDir;
    private JoinKeyPartitioner pipelinePartitioner;

    @BeforeEach
    void start(KafkaBroker broker, ApicurioRegistry registry, @TempDir Path stateDir) {
        this.stateDir = stateDir;
        run = new BrokerRun(broker, registry, PARTITIONS, Map.of());
        broker.createTopic(run.topics.deliveries(), PARTITIONS);
        kochava.start();
        kochava.stubFor(post(TRACK).willReturn(okJson("{\"success\":\"1\"}")));

        // The stand-in listens on loopback: allowed explicitly wherever the client guards private addresses.
        delivery = KochavaDelivery.create(
                run.topics,
                Map.of("kochava.endpoint", kochava.baseUrl() + TRACK, "kochava.allow-private-addresses", "true"));
    }

    private void startPipeline(JoinKeyPartitioner partitioner) {
        pipelinePartitioner = partitioner;
        TopologySettings settings = TopologySettings.DEFAULTS
                .withTopics(run.topics)
                .withSourcePartitions(PARTITIONS)
                .withJoinKeyPartitioner(partitioner);
        streams = new KafkaStreams(
                new PipelineTopology(settings, run.serdes, run.metrics, delivery.sink()).build(),
                run.streamsProperties("kobot-copartitioning-it-", stateDir));
        streams.start();
    }

    @AfterEach
    void stop() {
        if (streams != null) streams.close(Duration.ofSeconds(30));
        delivery.close();
        run.close();
        kochava.stop();
    }

    @ParameterizedTest
    @EnumSource(JoinKeyPartitioner.class)
    void linksAndEventsFromCrc32AndMurmur2ProducersAlwaysJoinAndCopiesAreDeliveredOnce(
            JoinKeyPartitioner pipelinePlaces) {
        startPipeline(pipelinePlaces);
        List<String> allCrc32 = users(8); // links and events from a librdkafka client
        List<String> linkCrc32 = users(6); // links from a librdkafka client, events from a Java client
        List<String> eventsCrc32 = users(6); // links from a Java client, events from a librdkafka client
        List<String> allMurmur2 = users(4); // the contract's way
        String newerByCrc32 = users(1).get(0); // two updates by different paths, the newer one misplaced
        String newerByMurmur2 = users(1).get(0); // two updates by different paths, the older one misplaced
        String deletedByCrc32 = users(1).get(0); // link and tombstone from a librdkafka client
        String deletedAcross = users(1).get(0); // link from a Java client, tombstone from a librdkafka client

        // Phase 1: the links.
        Map<String, String> expectedDevice = new HashMap<>();
        for (String user : concat(allCrc32, linkCrc32, List.of(deletedByCrc32))) {
            sendLink(user, link(user, t, "KD-" + user), Placement.CRC32);
            expectedDevice.put(user, "KD-" + user);
        }
        for (String user : concat(eventsCrc32, allMurmur2, List.of(deletedAcross))) {
            sendLink(user, link(user, t, "KD-" + user), Placement.MURMUR2);
            expectedDevice.put(user, "KD-" + user);
        }
        sendLink(newerByCrc32, link(newerByCrc32, t.plusSeconds(10), "KD-newer"), Placement.CRC32);
        sendLink(newerByCrc32, link(newerByCrc32, t, "KD-older"), Placement.MURMUR2);
        sendLink(newerByMurmur2, link(newerByMurmur2, t.plusSeconds(10), "KD-newer"), Placement.MURMUR2);
        sendLink(newerByMurmur2, link(newerByMurmur2, t, "KD-older"), Placement.CRC32);
        expectedDevice.put(newerByCrc32, "KD-newer");
        expectedDevice.put(newerByMurmur2, "KD-newer");
        run.flush();
        int links = 30;
        await().atMost(90, TimeUnit.SECONDS)
                .until(() -> run.metrics.count(PipelineMetrics.LINK_UPDATES)
                                + run.metrics.count(PipelineMetrics.LINK_STALE_IGNORED)
                        == links);

        // Phase 2: one event per user, and three copies of one interaction by three paths, each followed by a
        // sentinel on the same key and partition: once a sentinel is delivered, a copy would have been too.
        for (String user : concat(allCrc32, eventsCrc32, List.of(deletedByCrc32))) {
            sendEvent(user, "e-" + user, user, Placement.CRC32);
        }
        for (String user : concat(linkCrc32, allMurmur2, List.of(newerByCrc32, newerByMurmur2, deletedAcross))) {
            sendEvent(user, "e-" + user, user, Placement.MURMUR2);
        }
        String copied = allCrc32.get(0);
        sendEvent(copied, "copied", copied, Placement.CRC32);
        sendEvent(copied, "sentinel-1", copied, Placement.CRC32);
        sendEvent(copied, "copied", copied, Placement.MURMUR2);
        sendEvent(copied, "sentinel-2", copied, Placement.MURMUR2);
        sendEvent("mid.1732529400:8f2a", "copied", copied, Placement.CRC32);
        sendEvent("mid.1732529400:8f2a", "sentinel-3", copied, Placement.CRC32);
        run.flush();
        int events = 28;
        await().atMost(90, TimeUnit.SECONDS).until(() -> deliveredIds().size() == events + 4);

        // Phase 3: tombstones from a librdkafka client, then one more event for each of those users.
        sendLink(deletedByCrc32, null, Placement.CRC32);
        sendLink(deletedAcross, null, Placement.CRC32);
        run.flush();
        await().atMost(60, TimeUnit.SECONDS).until(() -> run.metrics.count(PipelineMetrics.LINK_DELETES) == 2);
        sendEvent(deletedByCrc32, "after-delete-1", deletedByCrc32, Placement.CRC32);
        sendEvent(deletedAcross, "after-delete-2", deletedAcross, Placement.MURMUR2);
        run.flush();
        await().atMost(60, TimeUnit.SECONDS).until(() -> deliveredIds().size() == events + 6);

        Map<String, List<JsonNode>> delivered = deliveredIds();
        assertThat(delivered)
                .allSatisfy((id, requests) -> assertThat(requests).as(id).hasSize(1));
        assertThat(delivered.get("copied")).hasSize(1);
        assertThat(run.metrics.count(PipelineMetrics.DUPLICATES_DROPPED)).isEqualTo(2);
        expectedDevice.forEach((user, device) -> assertThat(deviceIds(delivered, "e-" + user))
                .as("the event of a user linked to %s", device)
                .containsEntry("fb_user_id", user)
                .containsEntry("kochava_device_id", device));
        assertThat(deviceIds(delivered, "copied")).containsEntry("kochava_device_id", "KD-" + copied);
        assertThat(deviceIds(delivered, "after-delete-1")).containsOnlyKeys("fb_user_id");
        assertThat(deviceIds(delivered, "after-delete-2")).containsOnlyKeys("fb_user_id");
        assertThat(run.metrics.count(PipelineMetrics.ENRICHED_WITHOUT_LINK)).isEqualTo(2);
        assertThat(run.metrics.misplaced(run.topics.interactions())).isEqualTo(misplacedInteractions);
        assertThat(run.metrics.misplaced(run.topics.identityLinks())).isEqualTo(misplacedLinks);
        // Those placed elsewhere than the pipeline's function says: events keyed by their user, and links.
        switch (pipelinePlaces) {
            case MURMUR2 ->
                assertThat(List.of(misplacedInteractions, misplacedLinks)).containsExactly(18, 19);
            case CRC32 ->
                assertThat(List.of(misplacedInteractions, misplacedLinks)).containsExactly(16, 13);
            default ->
                assertThat(List.of(misplacedInteractions, misplacedLinks))
                        .allSatisfy(count -> assertThat(count).isPositive());
        }
        assertThat(run.metrics.deadLettered()).isZero();
    }

    private enum Placement {
        CRC32,
        MURMUR2
    }

    private void sendLink(String user, IdentityLink link, Placement placement) {
        byte[] key = utf8(user);
        misplacedLinks += isMisplaced(key, placement) ? 1 : 0;
        run.producer.send(new ProducerRecord<>(
                run.topics.identityLinks(), partition(key, placement), key, link == null ? null : run.avro(link)));
    }

    /** An event of {@code user} with the given interaction id, sent with {@code recordKey} where placed. */
    private void sendEvent(String recordKey, String id, String user, Placement placement) {
        byte[] key = utf8(recordKey);
        misplacedInteractions += isMisplaced(key, placement) && recordKey.equals(user) ? 1 : 0;
        BotInteraction interaction =
                event(id, user, t).setEventData("{\"n\":\"" + id + "\"}").build();
        run.producer.send(
                new ProducerRecord<>(run.topics.interactions(), partition(key, placement), key, run.avro(interaction)));
    }

    /** Whether a record keyed by {@code key}, placed so, sits elsewhere than the pipeline places that key. */
    private boolean isMisplaced(byte[] key, Placement placement) {
        return partition(key, placement) != pipelinePartitioner.partition(key, PARTITIONS);
    }

    private static int partition(byte[] key, Placement placement) {
        return placement == Placement.CRC32 ? crc32Partition(key) : murmur2Partition(key);
    }

    /** librdkafka's default partitioner, consistent_random, for a non-empty key. */
    private static int crc32Partition(byte[] key) {
        return Crc32Partitioner.partition(key, PARTITIONS);
    }

    /** The Java client's default partitioner for a keyed record. */
    private static int murmur2Partition(byte[] key) {
        return Utils.toPositive(Utils.murmur2(key)) % PARTITIONS;
    }

    private static List<String> usersWhoseCrc32AndMurmur2PartitionsDiffer(int count) {
        List<String> users = new ArrayList<>();
        for (int i = 0; users.size() < count; i++) {
            String user = "2417730921586" + i;
            if (crc32Partition(utf8(user)) != murmur2Partition(utf8(user))) {
                users.add(user);
            }
        }
        return users;
    }

    private List<String> users(int count) {
        List<String> taken = crc32Users.subList(nextUser, nextUser + count);
        nextUser += count;
        return taken;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    private static IdentityLink link(String user, Instant updatedAt, String kochavaDeviceId) {
        return Interactions.link(user, updatedAt, Map.of("kochava_device_id", kochavaDeviceId));
    }

    /** The bodies Kochava answered with success, by the interaction id carried in event_data. */
    private Map<String, List<JsonNode>> deliveredIds() {
        Map<String, List<JsonNode>> byId = new HashMap<>();
        for (ServeEvent served : kochava.getAllServeEvents()) {
            if (served.getResponse().getStatus() != 200) {
                continue;
            }
            try {
                JsonNode body = JSON.readTree(served.getRequest().getBodyAsString());
                byId.computeIfAbsent(
                                body.path("data").path("event_data").path("n").asText(), id -> new ArrayList<>())
                        .add(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return byId;
    }

    private static Map<String, String> deviceIds(Map<String, List<JsonNode>> delivered, String id) {
        assertThat(delivered).as("delivered ids").containsKey(id);
        Map<String, String> ids = new HashMap<>();
        delivered
                .get(id)
                .get(0)
                .path("data")
                .path("device_ids")
                .fields()
                .forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asText()));
        return ids;
    }
}
