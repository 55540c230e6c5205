package io.kobot.streams.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kobot.registry.SchemaRegistryException;
import io.kobot.registry.SchemaRegistryUnavailableException;
import io.kobot.schema.DeadLetter;
import io.kobot.streams.metrics.PipelineMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadLetterProcessingExceptionHandlerTest {
    private static final String SCOPE = "handler-test";
    private static final byte[] KEY = "u-1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = {1, 2, 3};

    private final DeadLetterTopicFixture deadLetters = new DeadLetterTopicFixture(SCOPE);
    private final PipelineMetrics metrics = deadLetters.metrics;
    private final DeadLetterProcessingExceptionHandler handler = new DeadLetterProcessingExceptionHandler();

    DeadLetterProcessingExceptionHandlerTest() {
        handler.configure(deadLetters.streamsConfig());
    }

    @AfterEach
    void dropScope() {
        deadLetters.close();
    }

    @Test
    void anUnexpectedExceptionDeadLettersTheSourceRecordAndResumes() {
        ProcessingExceptionHandler.Response response =
                handler.handleError(context(), record(), new IllegalStateException("boom"));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        List<ProducerRecord<byte[], byte[]>> records = response.deadLetterQueueRecords();
        assertThat(records).hasSize(1);
        assertThat(records.get(0).topic()).isEqualTo("dlq");
        assertThat(records.get(0).key()).isEqualTo(KEY);
        DeadLetter deadLetter = deadLetters.read(records.get(0).value());
        assertThat(deadLetter.getReasonCode()).isEqualTo("PROCESSING_ERROR");
        assertThat(deadLetter.getMessage()).isEqualTo("IllegalStateException: boom");
        assertThat(deadLetter.getOriginalValue()).isEqualTo(ByteBuffer.wrap(VALUE));
        assertThat(deadLetter.getSourceTopic()).isEqualTo("bot.interactions");
        assertThat(deadLetter.getSourceOffset()).isEqualTo(42L);
        assertThat(metrics.count("dead-letter.PROCESSING_ERROR")).isEqualTo(1);
    }

    @Test
    void anExceptionQuotingTheInputLeavesNoPersonalValueInTheMessage() {
        byte[] key = "2417730921586374".getBytes(StandardCharsets.UTF_8);
        ProcessingExceptionHandler.Response response = handler.handleError(
                context(key),
                record(),
                new NumberFormatException("For input string: \"PIIAGENT/9\" from 198.51.100.23 for user "
                        + "2417730921586374 device 'PIIDEVICE77'"));

        DeadLetter deadLetter =
                deadLetters.read(response.deadLetterQueueRecords().get(0).value());
        assertThat(deadLetter.getMessage())
                .startsWith("NumberFormatException: For input string")
                .doesNotContain("PIIAGENT")
                .doesNotContain("198.51.100.23")
                .doesNotContain("2417730921586374")
                .doesNotContain("PIIDEVICE77");
    }

    @Test
    void registryFailuresFailInsteadOfDeadLetteringAValidRecord() {
        for (RuntimeException registryFailure : List.of(
                new SchemaRegistryUnavailableException("down", null),
                new SerializationException("wrapped", new SchemaRegistryException("409 conflict", 409, 409)),
                new SchemaRegistryException("401 unauthorized", 401, 40101))) {
            ProcessingExceptionHandler.Response response = handler.handleError(context(), record(), registryFailure);

            assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
            assertThat(response.deadLetterQueueRecords()).isEmpty();
        }
        assertThat(metrics.deadLettered()).isZero();
    }

    @Test
    void theHandlersNeedTheInstancesSerializer() {
        Map<String, Object> configs = new HashMap<>(deadLetters.streamsConfig());
        configs.remove(DeadLetterHandlers.SERIALIZER_CONFIG);
        configs.putAll(deadLetters.registryConfig());

        assertThatThrownBy(() -> new DeadLetterProcessingExceptionHandler().configure(configs))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(DeadLetterHandlers.SERIALIZER_CONFIG);
    }

    private static Record<byte[], byte[]> record() {
        return new Record<>(KEY, VALUE, 0L);
    }

    private static ErrorHandlerContext context() {
        return context(KEY);
    }

    private static ErrorHandlerContext context(byte[] key) {
        return new SourceRecordContext("bot.interactions", 0, 42L, "ingest-interactions", key, VALUE);
    }
}
