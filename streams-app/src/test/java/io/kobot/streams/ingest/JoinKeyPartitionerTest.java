package io.kobot.streams.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.devstack.sample.Crc32Partitioner;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;
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

    @ParameterizedTest
    @EnumSource(JoinKeyPartitioner.class)
    void theRepartitionTopicsPlaceAKeyWhereTheFunctionDoes(JoinKeyPartitioner partitioner) {
        StreamPartitioner<byte[], String> repartition = partitioner.forRepartition();
        for (int i = 0; i < 100; i++) {
            byte[] key = utf8("user-" + i);
            assertThat(repartition.partitions("t", key, "value", 6))
                    .isEqualTo(Optional.of(Set.of(partitioner.partition(key, 6))));
        }
        assertThat(repartition.partitions("t", null, "value", 6)).isEmpty();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
