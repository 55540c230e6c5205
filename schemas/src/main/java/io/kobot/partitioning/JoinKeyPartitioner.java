package io.kobot.partitioning;

import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

/**
 * The function that gives a join key ({@code fb_user_id}, else {@code interaction_id}) its partition
 * ({@code partitioning.partitioner}): the pipeline finds a record keyed by its join key in place when it sits there,
 * and writes its repartition topics with it; kobot's own producers (the Messenger intake) place records with it.
 *
 * <p>Deduplication and the IdentityLink join need only that every record of a key, interaction or link, lands in
 * the same partition of each co-partitioned topic; which function does that is free. So the pipeline can follow the
 * partitioner of the producers rather than make them follow Kafka Streams': with {@link #CRC32}, records from
 * librdkafka-based producers are in place and skip the repartition topic (its write, its read and a second decode).
 * The choice is part of where state lives, as the partition count is: changing it on a running application moves
 * every key to another task, whose stores do not hold that key's ids and link; do it with a new
 * {@code application.id}.
 */
public enum JoinKeyPartitioner {
    /**
     * murmur2 of the key bytes: Kafka's Java clients, Kafka Streams' own repartition topics, and librdkafka's
     * {@code murmur2_random}.
     */
    MURMUR2("the Java client's default or librdkafka's murmur2_random") {
        @Override
        public int partition(byte[] key, int partitions) {
            return BuiltInPartitioner.partitionForKey(key, partitions);
        }

        @Override
        public Optional<Class<? extends Partitioner>> producerPartitioner() {
            return Optional.empty(); // the producer's default for keyed records
        }
    },
    /**
     * CRC32 of the key bytes, unsigned, modulo the partition count: librdkafka's default for keyed records
     * ({@code consistent_random}, and {@code consistent}), so the Python, Go, Node and .NET clients built on it and
     * kcat.
     */
    CRC32("librdkafka's default, consistent_random") {
        @Override
        public int partition(byte[] key, int partitions) {
            CRC32 crc = new CRC32();
            crc.update(key);
            return (int) (crc.getValue() % partitions);
        }

        @Override
        public Optional<Class<? extends Partitioner>> producerPartitioner() {
            return Optional.of(Crc32KeyPartitioner.class);
        }
    },
    /**
     * FNV-1a (32 bits) of the key bytes, as a signed number, modulo the partition count, made positive: Go's Sarama
     * ({@code NewHashPartitioner}, its default) and kafka-go ({@code Hash}), and librdkafka's {@code fnv1a}.
     */
    FNV1A("Sarama's default hash partitioner, kafka-go's Hash or librdkafka's fnv1a_random") {
        @Override
        public int partition(byte[] key, int partitions) {
            int hash = 0x811C9DC5;
            for (byte b : key) {
                hash ^= b & 0xFF;
                hash *= 0x01000193;
            }
            int partition = hash % partitions;
            return partition < 0 ? -partition : partition;
        }

        @Override
        public Optional<Class<? extends Partitioner>> producerPartitioner() {
            return Optional.of(Fnv1aKeyPartitioner.class);
        }
    };

    private final String producers;

    JoinKeyPartitioner(String producers) {
        this.producers = producers;
    }

    /** Every function's name, as {@code partitioning.partitioner} takes it. */
    public static String[] names() {
        return Arrays.stream(values()).map(Enum::name).toArray(String[]::new);
    }

    /** The producer partitioners that place keys this way, for messages to operators. */
    public String producers() {
        return producers;
    }

    /** The partition of {@code key} among {@code partitions}. */
    public abstract int partition(byte[] key, int partitions);

    /** The {@code partitioner.class} a Java producer needs to place keyed records so; empty for its default. */
    public abstract Optional<Class<? extends Partitioner>> producerPartitioner();
}
