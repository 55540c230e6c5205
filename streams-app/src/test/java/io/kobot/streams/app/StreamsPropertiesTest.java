package io.kobot.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.streams.config.PipelineConfig;
import io.kobot.streams.metrics.PipelineMetrics;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsPropertiesTest {

    private static final Map<String, String> MINIMAL = Map.of(
            "bootstrap.servers", "broker:9092",
            "schema.registry.url", "http://registry:8081");

    @Test
    void aKilledMembersTasksMoveAfterAShortSessionByDefault() {
        Properties props = streams(Map.of());

        assertThat(props).containsEntry("session.timeout.ms", 8_000).containsEntry("heartbeat.interval.ms", 2_000);
        // Kafka Streams applies them to its main consumer, the one in the group.
        StreamsConfig config = new StreamsConfig(props);
        assertThat(config.getMainConsumerConfigs("group", "client", 0))
                .containsEntry("session.timeout.ms", 8_000)
                .containsEntry("heartbeat.interval.ms", 2_000);
    }

    @Test
    void thePassThroughOverridesTheSessionDefaults() {
        Properties props = streams(Map.of("kafka.session.timeout.ms", "45000", "kafka.heartbeat.interval.ms", "3000"));

        assertThat(props).containsEntry("session.timeout.ms", "45000").containsEntry("heartbeat.interval.ms", "3000");
    }

    @Test
    void theStreamsProtocolLeavesTheSessionToTheBroker() {
        Properties props = streams(Map.of("kafka.group.protocol", "streams"));

        assertThat(props)
                .doesNotContainKeys("session.timeout.ms", "heartbeat.interval.ms")
                .containsEntry("group.protocol", "streams");
    }

    private static Properties streams(Map<String, String> extra) {
        Map<String, String> raw = new HashMap<>(MINIMAL);
        raw.putAll(extra);
        return StreamsProperties.streams(PipelineConfig.from(raw), new PipelineMetrics());
    }
}
