package io.kobot.partitioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.devstack.sample.Crc32Partitioner;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JoinKeyPartitionerTest {

    @Test
    void murmur2PlacesKeysAsTheJavaClientsDefaultPartitioner() {
        for (int i = 0; i < 1000; i++) {
            byte[] key = utf8("2417730921586" + i);
            assertThat(JoinKeyPartitioner.MURMUR2.partition(key, 12))
                    .isEqualTo(Utils.toPositive(Utils.murmur2(key)) % 12);
        }
        assertThat(JoinKeyPartitioner.MURMUR2.producerPartitioner()).isEmpty();
    }

    @Test
    void crc32IsTheStandardCrc32UnsignedModuloThePartitionCountAsLibrdkafkaComputesIt() {
        // CRC-32's check value (the CRC of "123456789"): 0xCBF43926, above Integer.MAX_VALUE, so the modulo must
        // be taken of the unsigned value, as librdkafka's rd_crc32(key) % partition_cnt does.
        byte[] check = utf8("123456789");
        for (int partitions : new int[] {1, 3, 6, 7, 64, 1000}) {
            assertThat(JoinKeyPartitioner.CRC32.partition(check, partitions))
                    .as("%d partitions", partitions)
                    .isEqualTo((int) (0xCBF43926L % partitions));
        }
    }

    @Test
    void crc32AgreesWithTheSampleProducersLibrdkafkaPartitioner() {
        for (int i = 0; i < 1000; i++) {
            byte[] key = utf8("user-" + i);
            assertThat(JoinKeyPartitioner.CRC32.partition(key, 6)).isEqualTo(Crc32Partitioner.partition(key, 6));
        }
    }

    @Test
    void fnv1aPlacesKeysAsSaramasAndKafkaGosHashPartitionersDo() {
        // Published cases of kafka-go's Hash balancer, made to agree with Sarama's default hash partitioner; the
        // last has the hash's top bit set, where the sign handling shows.
        assertThat(JoinKeyPartitioner.FNV1A.partition(utf8("blah"), 2)).isZero();
        assertThat(JoinKeyPartitioner.FNV1A.partition(utf8("blah"), 3)).isEqualTo(1);
        assertThat(JoinKeyPartitioner.FNV1A.partition(utf8("boop"), 3)).isEqualTo(2);
        assertThat(JoinKeyPartitioner.FNV1A.partition(utf8("20"), 16)).isEqualTo(1);
        for (int i = 0; i < 1000; i++) {
            assertThat(JoinKeyPartitioner.FNV1A.partition(utf8("user-" + i), 7)).isBetween(0, 6);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = JoinKeyPartitioner.class,
            names = {"CRC32", "FNV1A"})
    void aJavaProducerWithTheFunctionsPartitionerPlacesKeyedRecordsAsTheFunctionDoes(JoinKeyPartitioner function)
            throws Exception {
        Cluster cluster = clusterWith("bot.interactions", 6);
        Class<? extends Partitioner> type = function.producerPartitioner().orElseThrow();
        try (Partitioner partitioner = type.getDeclaredConstructor().newInstance()) {
            for (int i = 0; i < 200; i++) {
                byte[] key = utf8("user-" + i);
                assertThat(partitioner.partition("bot.interactions", "user-" + i, key, null, null, cluster))
                        .isEqualTo(function.partition(key, 6));
            }
            Set<Integer> unkeyed = IntStream.range(0, 200)
                    .mapToObj(i -> partitioner.partition("bot.interactions", null, null, null, null, cluster))
                    .collect(Collectors.toSet());
            assertThat(unkeyed).isSubsetOf(0, 1, 2, 3, 4, 5).hasSizeGreaterThan(1);
        }
    }

    private static Cluster clusterWith(String topic, int partitions) {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> infos = IntStream.range(0, partitions)
                .mapToObj(p -> new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node}))
                .toList();
        return new Cluster("c", List.of(node), infos, Set.of(), Set.of());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
