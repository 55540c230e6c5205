package io.kobot.streams.deadletter;

import io.kobot.registry.SchemaRegistryClients;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.DeadLetter;
import io.kobot.streams.metrics.PipelineMetrics;
import java.util.Map;

/**
 * The exception handlers' surroundings: the instance's metrics and dead-letter serializer on an in-memory registry
 * scope, as {@link DeadLetterHandlers#streamsConfig} hands them over, and a reader for the dead letters written.
 */
final class DeadLetterTopicFixture implements AutoCloseable {
    static final String TOPIC = "dlq";

    final PipelineMetrics metrics = new PipelineMetrics();
    private final String scope;
    private final SpecificAvroSerde<DeadLetter> serde;

    DeadLetterTopicFixture(String scope) {
        this.scope = scope;
        this.serde = SpecificAvroSerde.of(DeadLetter.class, registryConfig(), false);
    }

    Map<String, String> registryConfig() {
        return Map.of("schema.registry.url", "mock://" + scope);
    }

    /** The Streams settings that configure the handlers with this fixture's metrics and serializer. */
    Map<String, Object> streamsConfig() {
        return DeadLetterHandlers.streamsConfig(TOPIC, metrics, serde.serializer());
    }

    /** A dead letter the handler wrote, read back with a deserializer of its own. */
    DeadLetter read(byte[] value) {
        try (SpecificAvroSerde<DeadLetter> reader = SpecificAvroSerde.of(DeadLetter.class, registryConfig(), false)) {
            return reader.deserializer().deserialize(TOPIC, value);
        }
    }

    @Override
    public void close() {
        serde.close();
        SchemaRegistryClients.dropMockScope(scope);
    }
}
