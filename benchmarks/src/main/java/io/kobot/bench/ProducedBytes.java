package io.kobot.bench;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What the Kafka Streams producers of one application have written so far, from {@link KafkaStreams#metrics()}:
 * the bytes they sent to the brokers ({@code producer-metrics} {@code outgoing-byte-total}: record batches plus
 * request overhead, transaction requests included) and the record batches by topic ({@code producer-topic-metrics}
 * {@code byte-total}, as written), topic names shortened by the application id.
 */
record ProducedBytes(double outgoing, Map<String, Double> byTopic) {
    static ProducedBytes of(KafkaStreams streams, String applicationId) {
        double outgoing = 0;
        Map<String, Double> byTopic = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
            MetricName name = entry.getKey();
            if (!(entry.getValue().metricValue() instanceof Double value)) {
                continue;
            }
            if (name.group().equals("producer-metrics") && name.name().equals("outgoing-byte-total")) {
                outgoing += value;
            } else if (name.group().equals("producer-topic-metrics")
                    && name.name().equals("byte-total")) {
                String topic = name.tags().getOrDefault("topic", "?").replace(applicationId + "-", "");
                byTopic.merge(topic, value, Double::sum);
            }
        }
        return new ProducedBytes(outgoing, byTopic);
    }

    ProducedBytes minus(ProducedBytes before) {
        Map<String, Double> topics = new TreeMap<>(byTopic);
        before.byTopic.forEach((topic, bytes) -> topics.merge(topic, -bytes, Double::sum));
        return new ProducedBytes(outgoing - before.outgoing, topics);
    }

    /** Per input record: the producers' outgoing bytes, then the record batches by topic. */
    String perRecord(long records) {
        StringBuilder topics = new StringBuilder();
        byTopic.forEach((topic, bytes) -> {
            if (bytes > 0) {
                topics.append(topics.length() == 0 ? "" : ", ")
                        .append(String.format(Locale.ROOT, "%s %.0f", topic, bytes / records));
            }
        });
        return String.format(
                Locale.ROOT,
                "Kafka bytes written %.0f B/rec (producers' outgoing-byte-total; record batches by topic: %s)",
                outgoing / records,
                topics);
    }
}
