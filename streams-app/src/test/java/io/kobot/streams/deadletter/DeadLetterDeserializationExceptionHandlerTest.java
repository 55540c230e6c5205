package io.kobot.streams.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.registry.SchemaRegistryUnavailableException;
import io.kobot.schema.DeadLetter;
import java.nio.ByteBuffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadLetterDeserializationExceptionHandlerTest {
    private static final String SCOPE = "deserialization-handler-test";
    private static final String TOPIC = "kobot-interactions-by-join-key-repartition";
    private static final byte[] KEY = {'k'};
    private static final byte[] VALUE = {0, 0, 0, 0, 7, 1};

    private static final ErrorHandlerContext CONTEXT =
            new SourceRecordContext(TOPIC, 2, 17L, "interactions-by-join-key-repartition-source", KEY, VALUE);

    private final DeadLetterTopicFixture deadLetters = new DeadLetterTopicFixture(SCOPE);
    private final DeadLetterDeserializationExceptionHandler handler = new DeadLetterDeserializationExceptionHandler();
    private final ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(TOPIC, 2, 17L, KEY, VALUE);

    DeadLetterDeserializationExceptionHandlerTest() {
        handler.configure(deadLetters.streamsConfig());
    }

    @AfterEach
    void dropScope() {
        deadLetters.close();
    }

    @Test
    void anUndecodableRecordIsDeadLetteredAndSkipped() {
        DeserializationExceptionHandler.Response response =
                handler.handleError(CONTEXT, record, new SerializationException("Unknown magic byte"));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).hasSize(1);
        DeadLetter deadLetter =
                deadLetters.read(response.deadLetterQueueRecords().get(0).value());
        assertThat(deadLetter.getReasonCode()).isEqualTo("DESERIALIZATION_ERROR");
        assertThat(deadLetter.getStage()).isEqualTo("ingest");
        assertThat(deadLetter.getSourceTopic()).isEqualTo(TOPIC);
        assertThat(deadLetter.getSourcePartition()).isEqualTo(2);
        assertThat(deadLetter.getSourceOffset()).isEqualTo(17L);
        assertThat(deadLetter.getOriginalValue()).isEqualTo(ByteBuffer.wrap(VALUE));
        assertThat(deadLetters.metrics.count("dead-letter.DESERIALIZATION_ERROR"))
                .isEqualTo(1);
    }

    @Test
    void anUnreachableRegistryFailsSoTheRecordIsReadAgain() {
        DeserializationExceptionHandler.Response response =
                handler.handleError(CONTEXT, record, new SchemaRegistryUnavailableException("registry down", null));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }
}
