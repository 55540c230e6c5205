package io.kobot.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.streams.config.PipelineConfig;
import io.kobot.streams.deadletter.DeadLetterHandlers;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.streams.topology.PipelineSerdes;
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
    void theProducerCompressesWithLz4UnlessThePassThroughSaysOtherwise() {
        Properties props = streams(Map.of());

        assertThat(props).containsEntry("producer.compression.type", "lz4");
        StreamsConfig config = new StreamsConfig(props);
        assertThat(config.getProducerConfigs("client")).containsEntry("compression.type", "lz4");
        assertThat(new StreamsConfig(streams(Map.of("kafka.compression.type", "zstd"))).getProducerConfigs("client"))
                .containsEntry("compression.type", "zstd");
        assertThat(new StreamsConfig(streams(Map.of("kafka.producer.compression.type", "none")))
                        .getProducerConfigs("client"))
                .containsEntry("compression.type", "none");
    }

    @Test
    void theStreamsProtocolLeavesTheSessionToTheBroker() {
        Properties props = streams(Map.of("kafka.group.protocol", "streams"));

        assertThat(props)
                .doesNotContainKeys("session.timeout.ms", "heartbeat.interval.ms")
                .containsEntry("group.protocol", "streams");
    }

    @Test
    void theDeadLetterHandlersWriteWithTheInstancesSerdesAndStreamsGetsNoRegistrySettings() {
        Map<String, String> raw = new HashMap<>(MINIMAL);
        raw.put("schema.registry.basic.auth.user.info", "kobot:s3cret");
        PipelineConfig config = PipelineConfig.from(raw);
        try (PipelineSerdes serdes = new PipelineSerdes(config.schemaRegistryConfig())) {
            Properties props = StreamsProperties.streams(config, new PipelineMetrics(), serdes);

            assertThat(props.get(DeadLetterHandlers.SERIALIZER_CONFIG))
                    .isSameAs(serdes.deadLetter().serializer());
            assertThat(props.keySet()).noneMatch(key -> key.toString().startsWith("schema.registry."));
            assertThat(props.values()).noneMatch(value -> value.toString().contains("s3cret"));
        }
    }

    private static Properties streams(Map<String, String> extra) {
        Map<String, String> raw = new HashMap<>(MINIMAL);
        raw.putAll(extra);
        PipelineConfig config = PipelineConfig.from(raw);
        try (PipelineSerdes serdes = new PipelineSerdes(config.schemaRegistryConfig())) {
            return StreamsProperties.streams(config, new PipelineMetrics(), serdes);
        }
    }
}
