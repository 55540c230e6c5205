package io.kobot.partitioning;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;

/**
 * A Java producer's partitioner that places keyed records by a {@link JoinKeyPartitioner}; a record without a key
 * goes to a random partition. Kafka instantiates it by class, so each function has its subclass.
 */
public abstract class KeyFunctionPartitioner implements Partitioner {
    private final JoinKeyPartitioner function;

    KeyFunctionPartitioner(JoinKeyPartitioner function) {
        this.function = function;
    }

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        int partitions = cluster.partitionCountForTopic(topic);
        return keyBytes == null
                ? ThreadLocalRandom.current().nextInt(partitions)
                : function.partition(keyBytes, partitions);
    }

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public void close() {}
}
