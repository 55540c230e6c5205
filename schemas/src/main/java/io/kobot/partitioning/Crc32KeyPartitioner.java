package io.kobot.partitioning;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;

/**
 * A Java producer's partitioner that places keyed records as {@link JoinKeyPartitioner#CRC32} (librdkafka's
 * default) does; a record without a key goes to a random partition, as librdkafka's would.
 */
public final class Crc32KeyPartitioner implements Partitioner {

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        int partitions = cluster.partitionCountForTopic(topic);
        return keyBytes == null
                ? ThreadLocalRandom.current().nextInt(partitions)
                : JoinKeyPartitioner.CRC32.partition(keyBytes, partitions);
    }

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public void close() {}
}
