package io.kobot.streams.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.registry.SchemaRegistryClients;
import io.kobot.registry.SchemaRegistryUnavailableException;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.DeadLetter;
import io.kobot.streams.metrics.PipelineMetrics;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadLetterDeserializationExceptionHandlerTest {
    private static final String SCOPE = "deserialization-handler-test";
    private static final String TOPIC = "kobot-interactions-by-join-key-repartition";
    private static final byte[] KEY = {'k'};
    private static final byte[] VALUE = {0, 0, 0, 0, 7, 1};

    private final PipelineMetrics metrics = new PipelineMetrics();
    private final SpecificAvroSerde<DeadLetter> serde =
            SpecificAvroSerde.of(DeadLetter.class, Map.of("schema.registry.url", "mock://" + SCOPE), false);
    private final DeadLetterDeserializationExceptionHandler handler = new DeadLetterDeserializationExceptionHandler();
    private final ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(TOPIC, 2, 17L, KEY, VALUE);

    DeadLetterDeserializationExceptionHandlerTest() {
        handler.configure(DeadLetterHandlers.streamsConfig("dlq", metrics, serde.serializer()));
    }

    @AfterEach
    void dropScope() {
        serde.close();
        SchemaRegistryClients.dropMockScope(SCOPE);
    }

    @Test
    void anUndecodableRecordIsDeadLetteredAndSkipped() {
        DeserializationExceptionHandler.Response response =
                handler.handleError(context(), record, new SerializationException("Unknown magic byte"));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).hasSize(1);
        DeadLetter deadLetter = SpecificAvroSerde.of(
                        DeadLetter.class, Map.of("schema.registry.url", "mock://" + SCOPE), false)
                .deserializer()
                .deserialize("dlq", response.deadLetterQueueRecords().get(0).value());
        assertThat(deadLetter.getReasonCode()).isEqualTo("DESERIALIZATION_ERROR");
        assertThat(deadLetter.getStage()).isEqualTo("ingest");
        assertThat(deadLetter.getSourceTopic()).isEqualTo(TOPIC);
        assertThat(deadLetter.getSourcePartition()).isEqualTo(2);
        assertThat(deadLetter.getSourceOffset()).isEqualTo(17L);
        assertThat(deadLetter.getOriginalValue()).isEqualTo(ByteBuffer.wrap(VALUE));
        assertThat(metrics.count("dead-letter.DESERIALIZATION_ERROR")).isEqualTo(1);
    }

    @Test
    void anUnreachableRegistryFailsSoTheRecordIsReadAgain() {
        DeserializationExceptionHandler.Response response =
                handler.handleError(context(), record, new SchemaRegistryUnavailableException("registry down", null));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    private static ErrorHandlerContext context() {
        return new ErrorHandlerContext() {
            @Override
            public String topic() {
                return TOPIC;
            }

            @Override
            public int partition() {
                return 2;
            }

            @Override
            public long offset() {
                return 17L;
            }

            @Override
            public Headers headers() {
                return new RecordHeaders();
            }

            @Override
            public String processorNodeId() {
                return "interactions-by-join-key-repartition-source";
            }

            @Override
            public TaskId taskId() {
                return new TaskId(0, 2);
            }

            @Override
            public long timestamp() {
                return 0L;
            }

            @Override
            public byte[] sourceRawKey() {
                return KEY;
            }

            @Override
            public byte[] sourceRawValue() {
                return VALUE;
            }
        };
    }
}
