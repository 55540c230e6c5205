package io.kobot.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.devstack.sample.SampleRecord;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.IdentityLink;
import io.kobot.schema.InteractionType;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 6 (issue 10): hostile records against the running job, among 1,000 valid interactions: schema ids of
 * non-Avro schemas, empty and null values, deep and huge input, an engagement past the producer's limit, and tracking
 * URLs aimed at loopback, link-local, private and unlisted hosts. Each must come
 * out on the dead-letter topic with its own reason code; the process must never exit and no stream thread may die
 * (the job logs "Stream thread died" when it replaces one); every valid interaction must be delivered.
 *
 * <p>The instances run with size limits that let an identity link and an interaction each be valid while the
 * engagement they make together is larger than the Streams producer's {@code max.request.size}: without the
 * engagement check, that record would fail the task (RecordTooLargeException) and crash-loop the job.
 */
@ExtendWith(RealInfrastructureExtension.class)
class HostileInputFaultIT {
    private static final int VALID = 1_000;
    /** The Streams producer's limit in this run: above the largest dead letter (560 KiB), below link + event. */
    private static final int MAX_REQUEST_SIZE = 600 * 1024;

    private static final Map<String, String> LIMITS = Map.of(
            "kafka.producer.max.request.size", Integer.toString(MAX_REQUEST_SIZE),
            "validation.max-event-data-bytes", "560000",
            "validation.max-link-device-ids", "1000",
            "validation.max-link-device-ids-bytes", "560000",
            "validation.max-engagement-bytes", "580000");
    private static final String BIG_USER = "hostile-big-user";

    @Test
    void hostileRecordsAreDeadLetteredAndTheJobNeverStops(KafkaBroker broker, ApicurioRegistry registry)
            throws Exception {
        FaultSizes sizes = FaultSizes.current();
        try (FaultRun run = new FaultRun("hostile", broker, registry, 3, LIMITS);
                CountingListener forgeryTarget = new CountingListener();
                KafkaProducer<byte[], byte[]> links = linkProducer(broker);
                SpecificAvroSerde<IdentityLink> linkSerde = SpecificAvroSerde.of(
                        IdentityLink.class, Map.of("schema.registry.url", registry.confluentApiUrl()), false)) {
            Instant now = Instant.now();
            // A valid link, just under the link limits, that no engagement can carry along with a big event.
            Map<String, String> deviceIds = new HashMap<>();
            for (int i = 0; i < 1_000; i++) {
                deviceIds.put(String.format("device_%04d", i), "v".repeat(540));
            }
            IdentityLink bigLink = IdentityLink.newBuilder()
                    .setFbUserId(BIG_USER)
                    .setDeviceIds(deviceIds)
                    .setUpdatedAt(now)
                    .build();
            links.send(new ProducerRecord<>(
                            run.identityLinksTopic(),
                            utf8(BIG_USER),
                            linkSerde.serializer().serialize(run.identityLinksTopic(), bigLink)))
                    .get(30, TimeUnit.SECONDS);

            List<SampleRecord> valid = new ArrayList<>();
            run.validInteractions(VALID).forEachRemaining(valid::add);
            int half = valid.size() / 2;
            run.start("app");
            // Phase 1: half the valid interactions, all delivered; by then the task has read the link too.
            run.publish(valid.subList(0, half).iterator());
            run.awaitAllDelivered(Timeouts.delivery(sizes));

            // Phase 2: every hostile record, interleaved with the other half.
            List<SampleRecord> hostile = hostileRecords(run, registry, now);
            hostile.addAll(forgedTrackingUrls(run, forgeryTarget.port(), now));
            List<SampleRecord> interleaved = new ArrayList<>();
            List<SampleRecord> rest = valid.subList(half, valid.size());
            int step = Math.max(1, rest.size() / hostile.size());
            for (int i = 0, h = 0; i < rest.size(); i++) {
                if (i % step == 0 && h < hostile.size()) {
                    interleaved.add(hostile.get(h++));
                }
                interleaved.add(rest.get(i));
            }
            hostile.stream().filter(r -> !interleaved.contains(r)).forEach(interleaved::add);
            run.publish(interleaved.iterator());
            run.note("hostile records published by kind: " + run.published().badAcceptedByKind());
            run.awaitDeadLetters(hostile.size(), Timeouts.delivery(sizes));
            run.awaitAllDelivered(Timeouts.delivery(sizes));

            Map<String, Long> byReason = run.deadLettersByReason();
            String logs = run.instanceLogs();
            FaultReport report = run.finish(
                    String.format("%d hostile records among %,d valid interactions", hostile.size(), VALID),
                    sizes,
                    0,
                    hostile.size());
            assertThat(run.published().badAccepted()).isEqualTo(hostile.size());
            assertThat(byReason)
                    .as(report.table())
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
                            1L,
                            "TRACKING_HOST_NOT_ALLOWED",
                            4L));
            // Checked after every later valid interaction was delivered: a forged ping had time to arrive.
            assertThat(forgeryTarget.connections())
                    .as("connections to the loopback listener")
                    .isZero();
            assertThat(report.lost()).as(report.table()).isZero();
            assertThat(report.unexpectedExits()).as(report.table()).isZero();
            assertThat(logs)
                    .doesNotContain("Stream thread died")
                    .doesNotContain("RecordTooLargeException")
                    .doesNotContain("-> ERROR")
                    .doesNotContain("-> PENDING_ERROR");
        }
    }

    private static List<SampleRecord> hostileRecords(FaultRun run, ApicurioRegistry registry, Instant now) {
        List<SampleRecord> records = new ArrayList<>();
        int jsonId = registry.registerSchema(
                run.prefix() + "-json-value",
                "JSON",
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}");
        int protobufId = registry.registerSchema(
                run.prefix() + "-proto-value", "PROTOBUF", "syntax = \"proto3\";\nmessage Foreign { string a = 1; }\n");
        int unparseableId = registry.registerUnchecked(
                run.prefix() + "-unparseable", "AVRO", "{\"type\":\"record\",\"name\":\"NoFields\"}");
        records.add(bad("json-schema-id", "hostile-1", wireFormat(jsonId)));
        records.add(bad("protobuf-schema-id", "hostile-2", wireFormat(protobufId)));
        records.add(bad("unparseable-schema-id", "hostile-3", wireFormat(unparseableId)));
        records.add(bad("empty-value", "hostile-4", new byte[0]));
        records.add(bad("null-value", "hostile-5", null));
        records.add(bad(
                "deep-event-data",
                "hostile-6",
                utf8("{\"interaction_id\":\"hostile-deep\","
                        + "\"kochava_app_id\":\"kobot-faults\",\"type\":\"EVENT\",\"fb_user_id\":\"hostile-6\",\"occurred_at\":"
                        + now.toEpochMilli() + ",\"event_name\":\"P\",\"event_data\":" + "[".repeat(10_000)
                        + "]".repeat(10_000) + "}")));
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            many.put(Integer.toString(i), "");
        }
        records.add(bad(
                "100k-device-ids",
                "hostile-7",
                run.avro(event("hostile-many", "hostile-7", now)
                        .setDeviceIds(many)
                        .build())));
        records.add(bad(
                "link-past-max-request-size",
                BIG_USER,
                run.avro(event("hostile-too-big", BIG_USER, now)
                        .setEventData("\"" + "d".repeat(550_000) + "\"")
                        .build())));
        return records;
    }

    /**
     * Impressions whose tracking URLs aim at what a request forger would: a loopback listener (by IP literal and by
     * a host name outside the allowlist), the cloud metadata address and a private address. The run allows its
     * loopback stand-in by name only, so every one must be refused at ingest, before the outbox.
     */
    private static List<SampleRecord> forgedTrackingUrls(FaultRun run, int listenerPort, Instant now) {
        List<String> urls = List.of(
                "http://127.0.0.1:" + listenerPort + "/t?ref=forged-1",
                "http://tracking.attacker.example:" + listenerPort + "/t?ref=forged-2",
                "http://169.254.169.254/latest/meta-data/",
                "http://10.0.0.1/internal");
        List<SampleRecord> records = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            String id = "hostile-forged-" + i;
            records.add(bad(
                    "forged-tracking-url",
                    id,
                    run.avro(BotInteraction.newBuilder()
                            .setInteractionId(id)
                            .setKochavaAppId("kobot-faults")
                            .setType(InteractionType.IMPRESSION)
                            .setOccurredAt(now)
                            .setTrackingUrl(urls.get(i))
                            .setDeviceIds(new HashMap<>())
                            .build())));
        }
        return records;
    }

    /** A loopback TCP listener that counts the connections it accepts. */
    private static final class CountingListener implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicInteger connections = new AtomicInteger();
        private final Thread acceptor;

        CountingListener() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(
                    () -> {
                        while (!socket.isClosed()) {
                            try (Socket accepted = socket.accept()) {
                                connections.incrementAndGet();
                            } catch (IOException e) {
                                return; // closed
                            }
                        }
                    },
                    "forgery-target");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static BotInteraction.Builder event(String id, String user, Instant occurredAt) {
        return BotInteraction.newBuilder()
                .setInteractionId(id)
                .setKochavaAppId("kobot-faults")
                .setType(InteractionType.EVENT)
                .setFbUserId(user)
                .setOccurredAt(occurredAt)
                .setEventName("Purchase")
                .setDeviceIds(new HashMap<>());
    }

    private static SampleRecord bad(String kind, String key, byte[] value) {
        return new SampleRecord(null, kind, utf8(key), value);
    }

    /** Magic byte 0, the schema id, and a few bytes of body. */
    private static byte[] wireFormat(int schemaId) {
        return new byte[] {
            0, (byte) (schemaId >>> 24), (byte) (schemaId >>> 16), (byte) (schemaId >>> 8), (byte) schemaId, 2, 'x'
        };
    }

    private static KafkaProducer<byte[], byte[]> linkProducer(KafkaBroker broker) {
        Map<String, Object> props = new HashMap<>(broker.clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
