package io.kobot.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kobot.devstack.kochava.Fault;
import io.kobot.devstack.kochava.ReceivedIdentityLink;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * IdentityLink forwarding across a SIGKILL between acceptance and delivery: links are published while Kochava
 * throttles every request (429), the app is killed once all of them are accepted (their offsets committed, which
 * under exactly-once commits their outbox entries too) and none has been delivered, then restarted on its state
 * directory; once Kochava answers again, every link must reach it.
 */
@ExtendWith(RealInfrastructureExtension.class)
class IdentityLinkKillFaultIT {
    private static final int USERS = 200;
    private static final String APP = "kobot-faults";

    @Test
    void linksAcceptedBeforeASigkillAreAllForwarded(KafkaBroker broker, ApicurioRegistry registry) throws Exception {
        Map<String, String> forwarding =
                Map.of("kochava.identity-link.forward", "true", "kochava.identity-link.default-app-id", APP);
        try (FaultRun run = new FaultRun("link-kill", broker, registry, 3, forwarding);
                Admin admin = Admin.create(broker.clientProperties())) {
            run.receiver().answerWith(Fault.throttle(Duration.ofSeconds(1)));
            run.start("app");
            Set<String> users =
                    IntStream.range(0, USERS).mapToObj(i -> "link-user-" + i).collect(Collectors.toSet());
            publishLinks(run, users);

            await().atMost(60, TimeUnit.SECONDS)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> accepted(admin, run));
            assertThat(run.receiver().identityLinks())
                    .as("none delivered before the kill")
                    .isEmpty();
            run.kill("app", true);
            run.receiver().serve();

            await().atMost(Timeouts.delivery(FaultSizes.current()).toSeconds(), TimeUnit.SECONDS)
                    .until(() -> forwardedUsers(run).containsAll(users));
            List<ReceivedIdentityLink> received = run.receiver().identityLinks();
            System.out.printf(
                    "IdentityLinkKillFaultIT: %d links accepted under 429, SIGKILL at %s, %d forwarded after the "
                            + "restart (%d twice), lost 0%n",
                    USERS, run.elapsedText(), received.size(), received.size() - USERS);
            assertThat(received).allSatisfy(link -> {
                assertThat(link.appId()).isEqualTo(APP);
                assertThat(link.deviceIds())
                        .containsEntry("adid", "adid-of-" + link.data().get("fb_userid"));
            });
            assertThat(run.deadLettersByReason()).isEmpty();
        }
    }

    /** As a mobile app's backend publishes: JSON, keyed by fb_user_id, idempotent, acks=all. */
    private static void publishLinks(FaultRun run, Set<String> users) throws Exception {
        Map<String, Object> props = new HashMap<>(run.clientProperties());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        long updatedAt = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (String user : users) {
                String json = "{\"fb_user_id\":\"" + user + "\",\"device_ids\":{\"adid\":\"adid-of-" + user
                        + "\"},\"updated_at\":" + updatedAt + "}";
                producer.send(new ProducerRecord<>(
                                run.identityLinksTopic(),
                                user.getBytes(StandardCharsets.UTF_8),
                                json.getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
        }
    }

    /** Whether the app's committed offsets on the links topic reached its end: every link accepted. */
    private static boolean accepted(Admin admin, FaultRun run) throws Exception {
        List<TopicPartition> partitions = IntStream.range(0, run.partitions())
                .mapToObj(p -> new TopicPartition(run.identityLinksTopic(), p))
                .toList();
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all()
                .get()
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                        run.applicationId(), new ListConsumerGroupOffsetsOptions())
                .partitionsToOffsetAndMetadata()
                .get();
        return partitions.stream().allMatch(p -> {
            OffsetAndMetadata offset = committed.get(p);
            return offset != null && offset.offset() >= ends.get(p);
        });
    }

    private static Set<String> forwardedUsers(FaultRun run) {
        return run.receiver().identityLinks().stream()
                .map(link -> link.data().get("fb_userid"))
                .collect(Collectors.toSet());
    }
}
