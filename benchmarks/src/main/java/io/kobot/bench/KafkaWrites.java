package io.kobot.bench;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What a Kafka Streams application wrote to the broker: the sum of its producers' outgoing bytes ({@code
 * producer-metrics} {@code outgoing-byte-total}: record batches of every topic it writes, changelogs and repartition
 * topics included, with the requests' own framing and the transactions' requests), from {@link KafkaStreams#metrics()}.
 */
final class KafkaWrites {
    private static final String GROUP = "producer-metrics";
    private static final String NAME = "outgoing-byte-total";

    private KafkaWrites() {}

    /** Bytes sent so far by the producers of {@code streams} (live ones; a closed producer's metrics are gone). */
    static long producerBytes(KafkaStreams streams) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> metric : streams.metrics().entrySet()) {
            MetricName name = metric.getKey();
            if (GROUP.equals(name.group())
                    && NAME.equals(name.name())
                    && metric.getValue().metricValue() instanceof Number bytes) {
                total += bytes.doubleValue();
            }
        }
        return (long) total;
    }
}
