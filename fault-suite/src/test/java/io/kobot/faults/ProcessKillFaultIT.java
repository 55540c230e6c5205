package io.kobot.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 1: the app SIGKILLed at random moments while records flow (0.5 to 4.5 s after each incarnation has
 * begun delivering), restarted each time on the same state directory, the last time on a fresh one (state then
 * comes only from the changelogs). Under each function the pipeline can place join keys by, with producers that
 * place records by it too (the Java client's murmur2, librdkafka's CRC32): their records never take the repartition
 * topic.
 */
@ExtendWith(RealInfrastructureExtension.class)
class ProcessKillFaultIT {

    @ParameterizedTest(name = "partitioning.partitioner={0}")
    @ValueSource(strings = {"MURMUR2", "CRC32"})
    void sigkillsLoseNothing(String partitioner, KafkaBroker broker, ApicurioRegistry registry) throws Exception {
        FaultSizes sizes = FaultSizes.current();
        Random random = new Random(Long.getLong("faults.seed", System.nanoTime()));
        try (FaultRun run = new FaultRun(
                        "sigkill-" + partitioner.toLowerCase(Locale.ROOT),
                        broker,
                        registry,
                        3,
                        Map.of("partitioning.partitioner", partitioner));
                Admin admin = Admin.create(broker.clientProperties())) {
            run.start("app");
            CompletableFuture<Void> publishing =
                    run.publishAtRate(run.validInteractions(sizes.records()), sizes.publishRate());
            run.killRepeatedly("app", sizes.kills(), random, () -> run.awaitProgress(100, Duration.ofSeconds(60)));
            publishing.join();
            run.awaitAllDelivered(Timeouts.delivery(sizes));

            FaultReport report = run.finish(
                    String.format("%d × SIGKILL + restart during a %,d-record run", sizes.kills(), sizes.records()),
                    sizes,
                    sizes.kills(),
                    0);
            report.assertHolds();
            assertThat(report.deadLettered()).as(report.table()).isZero();
            assertThat(recordsWritten(admin, run.applicationId() + "-interactions-by-join-key-repartition"))
                    .as("records written to the repartition topic")
                    .isZero();
        }
    }

    /** The records ever written to {@code topic}: its end offsets (Kafka Streams purges what it has read). */
    private static long recordsWritten(Admin admin, String topic) throws Exception {
        List<TopicPartition> partitions =
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                        .map(info -> new TopicPartition(topic, info.partition()))
                        .toList();
        return admin
                .listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all()
                .get()
                .values()
                .stream()
                .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
                .sum();
    }
}
