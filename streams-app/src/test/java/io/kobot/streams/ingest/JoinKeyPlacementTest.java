package io.kobot.streams.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kobot.partitioning.JoinKeyPartitioner;
import io.kobot.schema.deadletter.RejectionReason;
import io.kobot.streams.metrics.PipelineMetrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

class JoinKeyPlacementTest {
    private static final int PARTITIONS = 6;
    private static final String TOPIC = "bot.interactions";

    private final PipelineMetrics metrics = new PipelineMetrics();
    private final JoinKeyPlacement placement =
            new JoinKeyPlacement(PARTITIONS, JoinKeyPartitioner.MURMUR2, false, metrics);
    private final Logger logger = (Logger) LoggerFactory.getLogger(JoinKeyPlacement.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
    }

    @Test
    void placesKeysAsTheJavaProducersDefaultPartitionerDoes() {
        for (int i = 0; i < 1000; i++) {
            byte[] key = utf8("user-" + i);
            assertThat(placement.partitionOf(key)).isEqualTo(Utils.toPositive(Utils.murmur2(key)) % PARTITIONS);
        }
    }

    @Test
    void aRecordWhereMurmur2PutsItIsInPlaceAndNotCounted() {
        byte[] key = utf8("user-1");
        assertThat(placement.verdict(at(TOPIC, placement.partitionOf(key)), key, key))
                .isEqualTo(JoinKeyPlacement.Verdict.IN_PLACE);
        assertThat(metrics.misplaced(TOPIC)).isZero();
        assertThat(logs.list).isEmpty();
    }

    @Test
    void aRecordPlacedByCrc32IsMisplacedWheneverTheTwoDisagree() {
        List<String> disagreeing = IntStream.range(0, 200)
                .mapToObj(i -> "user-" + i)
                .filter(user -> crc32Partition(utf8(user)) != placement.partitionOf(utf8(user)))
                .toList();
        assertThat(disagreeing).hasSizeGreaterThan(100); // about 5 in 6 with 6 partitions

        for (String user : disagreeing) {
            byte[] key = utf8(user);
            assertThat(placement.verdict(at(TOPIC, crc32Partition(key)), key, key))
                    .isEqualTo(JoinKeyPlacement.Verdict.MISPLACED);
        }
        assertThat(metrics.misplaced(TOPIC)).isEqualTo(disagreeing.size());
    }

    @Test
    void withCrc32ARecordPlacedByLibrdkafkaIsInPlaceAndOnePlacedByTheJavaClientIsMisplaced() {
        JoinKeyPlacement crc32 = new JoinKeyPlacement(PARTITIONS, JoinKeyPartitioner.CRC32, false, metrics);
        String user = IntStream.range(0, 100)
                .mapToObj(i -> "user-" + i)
                .filter(u -> crc32Partition(utf8(u)) != placement.partitionOf(utf8(u)))
                .findFirst()
                .orElseThrow();
        byte[] key = utf8(user);

        assertThat(crc32.partitionOf(key)).isEqualTo(crc32Partition(key));
        assertThat(crc32.verdict(at(TOPIC, crc32Partition(key)), key, key))
                .isEqualTo(JoinKeyPlacement.Verdict.IN_PLACE);
        assertThat(crc32.verdict(at(TOPIC, placement.partitionOf(key)), key, key))
                .isEqualTo(JoinKeyPlacement.Verdict.MISPLACED);
        assertThat(metrics.misplaced(TOPIC)).isEqualTo(1);
        assertThat(logs.list)
                .singleElement()
                .extracting(ILoggingEvent::getFormattedMessage)
                .asString()
                .contains(
                        "crc32 over 6 partitions",
                        "librdkafka's default, consistent_random",
                        "partitioning.partitioner")
                .doesNotContain(user);
    }

    @ParameterizedTest
    @EnumSource(JoinKeyPartitioner.class)
    void theRepartitionTopicsPlaceAKeyWhereThePlacementLooksForIt(JoinKeyPartitioner partitioner) {
        JoinKeyPlacement judged = new JoinKeyPlacement(PARTITIONS, partitioner, false, metrics);
        StreamPartitioner<byte[], String> repartition = judged.forRepartition();
        for (int i = 0; i < 100; i++) {
            byte[] key = utf8("user-" + i);
            assertThat(repartition.partitions("t", key, "value", PARTITIONS))
                    .isEqualTo(Optional.of(Set.of(judged.partitionOf(key))));
        }
        assertThat(repartition.partitions("t", null, "value", PARTITIONS)).isEmpty();
    }

    @Test
    void theRulesLetRecordsInPlaceFlowOnAndRepartitionOrRejectTheOthers() throws InvalidRecordException {
        byte[] key = utf8("user-1");
        int home = placement.partitionOf(key);
        int elsewhere = (home + 1) % PARTITIONS;

        assertThat(placement.repartitionUnlessInPlace().inPlace(at(TOPIC, home), key, key))
                .isTrue();
        assertThat(placement.repartitionUnlessInPlace().inPlace(at(TOPIC, elsewhere), key, key))
                .isFalse();
        assertThat(placement.repartitionUnlessInPlace().inPlace(at(TOPIC, home), utf8("webhook-7"), key))
                .isFalse();
        assertThat(JoinKeyPlacement.REPARTITION_ALL.inPlace(at(TOPIC, home), key, key))
                .isFalse();
        assertThat(placement.rejectUnlessInPlace().inPlace(at(TOPIC, home), key, key))
                .isTrue();
        assertThatThrownBy(() -> placement.rejectUnlessInPlace().inPlace(at(TOPIC, elsewhere), key, key))
                .isInstanceOf(InvalidRecordException.class)
                .extracting(e -> ((InvalidRecordException) e).reason())
                .isEqualTo(RejectionReason.MISPLACED_PARTITION);
        assertThatThrownBy(() -> placement.rejectUnlessInPlace().inPlace(at(TOPIC, home), utf8("webhook-7"), key))
                .isInstanceOf(InvalidRecordException.class)
                .extracting(e -> ((InvalidRecordException) e).reason())
                .isEqualTo(RejectionReason.KEY_MISMATCH);
    }

    @Test
    void aRecordKeyedOtherwiseIsMisKeyedNotMisplaced() {
        byte[] joinKey = utf8("user-1");
        assertThat(placement.verdict(at(TOPIC, 0), utf8("webhook-7"), joinKey))
                .isEqualTo(JoinKeyPlacement.Verdict.MIS_KEYED);
        assertThat(placement.verdict(at(TOPIC, 0), null, joinKey)).isEqualTo(JoinKeyPlacement.Verdict.MIS_KEYED);
        assertThat(metrics.misplaced(TOPIC)).isZero();
    }

    @Test
    void withoutSourceCoordinatesNothingIsTakenToBeInPlace() {
        byte[] key = utf8("user-1");
        assertThat(placement.verdict(Optional.empty(), key, key)).isEqualTo(JoinKeyPlacement.Verdict.MISPLACED);
    }

    @Test
    void misplacedRecordsAreLoggedOncePerPartitionWithoutTheKey() {
        String a = userNotPlacedIn(2);
        String b = userNotPlacedIn(3);
        for (int i = 0; i < 5; i++) {
            placement.verdict(at(TOPIC, 2), utf8(a), utf8(a));
            placement.verdict(at(TOPIC, 3), utf8(b), utf8(b));
            placement.verdict(at("bot.identity-links", 2), utf8(a), utf8(a));
        }

        assertThat(logs.list).hasSize(3);
        assertThat(logs.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .satisfiesExactly(
                        m -> assertThat(m)
                                .startsWith("Partition 2 of bot.interactions holds records keyed by their join key")
                                .contains("murmur2 over 6 partitions", "CRC32", "repartition topic", "murmur2_random"),
                        m -> assertThat(m).startsWith("Partition 3 of bot.interactions"),
                        m -> assertThat(m).startsWith("Partition 2 of bot.identity-links"));
        assertThat(logs.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .allSatisfy(m -> assertThat(m).doesNotContain(a, b));
        assertThat(metrics.misplaced(TOPIC)).isEqualTo(10);
        assertThat(metrics.misplaced("bot.identity-links")).isEqualTo(5);
    }

    @Test
    void withRekeyingOffRecordsNotInPlaceAreRejectedWithTheirOwnReasons() throws InvalidRecordException {
        JoinKeyPlacement never = new JoinKeyPlacement(PARTITIONS, JoinKeyPartitioner.MURMUR2, true, metrics);
        String user = userNotPlacedIn(1);
        byte[] key = utf8(user);

        assertThatThrownBy(() -> never.requireInPlace(at(TOPIC, 1), key, key))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectionReason.MISPLACED_PARTITION);
                    assertThat(e.getMessage())
                            .contains("partition 1", "partition " + never.partitionOf(key))
                            .doesNotContain(user);
                });
        assertThatThrownBy(() -> never.requireInPlace(at(TOPIC, 1), utf8("other"), key))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.KEY_MISMATCH));
        never.requireInPlace(at(TOPIC, never.partitionOf(key)), key, key); // in place: no exception
        assertThat(logs.list)
                .singleElement()
                .extracting(ILoggingEvent::getFormattedMessage)
                .asString()
                .contains("dead-lettered (MISPLACED_PARTITION)", "partitioning.rekey=AUTO");
    }

    @Test
    void aPartitionBeyondTheCountReadAtStartUpIsMisplacedAndReportedAsAnError() {
        byte[] key = utf8("user-1");
        assertThat(placement.verdict(at(TOPIC, PARTITIONS), key, key)).isEqualTo(JoinKeyPlacement.Verdict.MISPLACED);
        assertThat(logs.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel().toString()).isEqualTo("ERROR");
            assertThat(event.getFormattedMessage()).contains("beyond the 6 partitions read at start-up");
        });
    }

    @Test
    void aPartitionCountBelowOneIsRefused() {
        assertThatThrownBy(() -> new JoinKeyPlacement(0, JoinKeyPartitioner.MURMUR2, false, metrics))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** librdkafka's default partitioner (consistent_random) for a non-empty key. */
    private static int crc32Partition(byte[] key) {
        CRC32 crc = new CRC32();
        crc.update(key);
        return (int) (crc.getValue() % PARTITIONS);
    }

    private String userNotPlacedIn(int partition) {
        return IntStream.range(0, 100)
                .mapToObj(i -> "user-" + i)
                .filter(user -> placement.partitionOf(utf8(user)) != partition)
                .findFirst()
                .orElseThrow();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Optional<RecordMetadata> at(String topic, int partition) {
        return Optional.of(new RecordMetadata() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public int partition() {
                return partition;
            }

            @Override
            public long offset() {
                return 0;
            }
        });
    }
}
