package io.kobot.devstack.sample;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;

/**
 * librdkafka's default partitioner ({@code consistent_random}): CRC32 of the key modulo the partition count, a
 * random partition for a record without a key. Bot servers on librdkafka clients (Python, Go, Node, .NET) place
 * records this way, not by the Java client's murmur2.
 */
public final class Crc32Partitioner implements Partitioner {

    /** The partition librdkafka's default partitioner gives a non-empty {@code key}. */
    public static int partition(byte[] key, int partitions) {
        CRC32 crc = new CRC32();
        crc.update(key);
        return (int) (crc.getValue() % partitions);
    }

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        int partitions = cluster.partitionCountForTopic(topic);
        return keyBytes == null || keyBytes.length == 0
                ? ThreadLocalRandom.current().nextInt(partitions)
                : partition(keyBytes, partitions);
    }

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public void close() {}
}
