package io.kobot.streams.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The producer-error half of readiness: record-error-total growing makes the job unready for a while. */
@ExtendWith(RealInfrastructureExtension.class)
class SinkWritabilityIT {
    @Test
    void producerErrorsMakeItUnreadyUntilTheyStopForTheHoldTime(KafkaBroker broker) throws Exception {
        String topic = "sink-check-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic(topic, 1);
        AtomicReference<Double> errors = new AtomicReference<>(0.0);
        Map<MetricName, Metric> metrics = Map.of(recordErrors(), new Metric() {
            @Override
            public MetricName metricName() {
                return recordErrors();
            }

            @Override
            public Object metricValue() {
                return errors.get();
            }
        });
        StreamsHealth health = new StreamsHealth();
        health.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        SinkWritability check = new SinkWritability(
                Admin.create(broker.clientProperties()),
                List.of(topic),
                () -> metrics,
                health,
                Duration.ofSeconds(5),
                Duration.ofSeconds(3));
        try {
            check.check();
            assertThat(health.ready()).isTrue();

            errors.set(3.0);
            check.check();
            assertThat(health.ready()).isFalse();
            assertThat(health.sinkProblem()).contains("failed to write records");

            check.check(); // no new errors, but within the hold time
            assertThat(health.ready()).isFalse();

            // Ready again once the hold time has passed without new errors.
            await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        check.check();
                        return health.ready();
                    });
        } finally {
            check.close();
        }
    }

    private static MetricName recordErrors() {
        return new MetricName(
                SinkWritability.RECORD_ERRORS,
                SinkWritability.PRODUCER_GROUP,
                "",
                Map.of("client-id", "kobot-test-producer"));
    }
}
