package io.kobot.streams.topology;

import static io.kobot.streams.topology.Interactions.event;
import static io.kobot.streams.topology.Interactions.link;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.streams.ingest.InputLimits;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile records on a real broker and a real registry, exactly-once: schema ids of a JSON, a Protobuf and an
 * unparseable schema, an empty and a null value, 10,000 levels of event_data, 100,000 device_ids, and a link that
 * makes an engagement larger than the Streams producer's max.request.size. Each is dead-lettered with its code, the
 * stream thread never fails (no uncaught exception, the same thread throughout, RUNNING), and the valid records
 * after them come out.
 */
@ExtendWith(RealInfrastructureExtension.class)
class HostileInputIT {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(90);

    /** Streams' producer limit here: above the largest dead letter, below what the big link would make. */
    private static final int MAX_REQUEST_SIZE = 600 * 1024;

    private static final int MAX_EVENT_DATA_BYTES = 400 * 1024;
    private static final InputLimits LIMITS =
            new InputLimits(1024, 2048, 2048, 32, 4096, 32, 10_000, 400 * 1024, 450 * 1024);

    private final List<Throwable> streamThreadFailures = Collections.synchronizedList(new ArrayList<>());
    private final List<KafkaStreams.State> states = Collections.synchronizedList(new ArrayList<>());
    private BrokerRun run;
    private KafkaStreams streams;

    @BeforeEach
    void start(KafkaBroker broker, ApicurioRegistry registry, @TempDir Path stateDir) {
        run = new BrokerRun(broker, registry, 1, Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024));
        Properties props = run.streamsProperties("kobot-hostile-", stateDir);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), MAX_REQUEST_SIZE);
        TopologySettings settings = new TopologySettings(
                        run.topics,
                        Duration.ofHours(1),
                        Duration.ofMinutes(10),
                        MAX_EVENT_DATA_BYTES,
                        RekeyMode.AUTO,
                        true)
                .withLimits(LIMITS);
        streams = new KafkaStreams(
                new PipelineTopology(settings, run.serdes, run.metrics, EngagementSink.NONE).build(), props);
        streams.setUncaughtExceptionHandler(e -> {
            streamThreadFailures.add(e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((newState, oldState) -> states.add(newState));
        streams.start();
    }

    @AfterEach
    void stop() {
        streams.close(Duration.ofSeconds(30));
        run.close();
    }

    @Test
    void everyHostileRecordIsDeadLetteredAndTheThreadNeverFails(KafkaBroker broker, ApicurioRegistry registry)
            throws Exception {
        await().atMost(60, TimeUnit.SECONDS).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        Set<String> threadsAtStart = threadNames();
        Instant t = Instant.now().minusSeconds(60);

        int jsonId = registry.registerSchema(
                "hostile-json-" + run.id, "JSON", "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}");
        int protobufId = registry.registerSchema(
                "hostile-proto-" + run.id, "PROTOBUF", "syntax = \"proto3\";\nmessage M { string a = 1; }\n");
        int unparseableId = registry.registerUnchecked("hostile-bad-" + run.id, "AVRO", "{\"type\":\"record\"}");
        for (int id : new int[] {jsonId, protobufId, unparseableId}) {
            run.send("u-1", new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id, 2, 'x'
            });
        }
        run.send("u-1", new byte[0]);
        run.send("u-1", null);
        run.send(
                "u-1",
                run.avro(event("deep", "u-1", t)
                        .setEventData("[".repeat(10_000) + "]".repeat(10_000))
                        .build()));
        Map<String, String> manyIds = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            manyIds.put(Integer.toString(i), "");
        }
        run.send("u-1", run.avro(event("many", "u-1", t).setDeviceIds(manyIds).build()));
        // The link and the event each fit; together they would exceed the producer's max.request.size.
        Map<String, String> bigLink = new HashMap<>();
        for (int i = 0; i < 4_000; i++) {
            bigLink.put("device_" + i, "v".repeat(90));
        }
        run.sendLink("u-big", run.avro(link("u-big", t, bigLink)));
        run.flush();
        await().atMost(60, TimeUnit.SECONDS).until(() -> run.metrics.count(PipelineMetrics.LINK_UPDATES) == 1);
        run.send(
                "u-big",
                run.avro(event("too-big", "u-big", t)
                        .setEventData("\"" + "d".repeat(380 * 1024) + "\"")
                        .build()));
        List<String> valid = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            valid.add("ok-" + i);
            run.send("u-" + i, run.avro(event("ok-" + i, "u-" + i, t).build()));
        }
        run.flush();

        List<String> delivered = run.readEngagements(valid.size(), READ_TIMEOUT).stream()
                .map(Engagement::getInteractionId)
                .toList();
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(valid);
        Map<String, Long> reasons = run.readDeadLetters(8, READ_TIMEOUT).stream()
                .collect(Collectors.groupingBy(DeadLetter::getReasonCode, Collectors.counting()));
        assertThat(reasons)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "UNSUPPORTED_SCHEMA",
                        3L,
                        "EMPTY_VALUE",
                        1L,
                        "NULL_VALUE",
                        1L,
                        "EVENT_DATA_TOO_DEEP",
                        1L,
                        "DEVICE_IDS_TOO_MANY",
                        1L,
                        "ENGAGEMENT_TOO_LARGE",
                        1L));
        assertThat(streamThreadFailures).isEmpty();
        assertThat(states).doesNotContain(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR);
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(threadNames()).isEqualTo(threadsAtStart);
    }

    private Set<String> threadNames() {
        return streams.metadataForLocalThreads().stream()
                .map(ThreadMetadata::threadName)
                .collect(Collectors.toSet());
    }
}
