package io.kobot.streams.deadletter;

import io.kobot.registry.SchemaRegistryException;
import io.kobot.registry.SchemaRegistryUnavailableException;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.deadletter.RejectionReason;
import io.kobot.streams.metrics.PipelineMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * What Kafka Streams' exception handlers share: turning a failure into a {@link DeadLetter} record for the
 * DLQ topic, which Streams then produces in the same transaction as the task's other output.
 */
final class DeadLetterPublisher {
    /** Streams config key holding the dead-letter topic name. */
    static final String TOPIC_CONFIG = DeadLetterHandlers.TOPIC_CONFIG;

    private final String topic;
    private final Serializer<DeadLetter> serializer;
    private final PipelineMetrics metrics;

    private DeadLetterPublisher(String topic, Serializer<DeadLetter> serializer, PipelineMetrics metrics) {
        this.topic = topic;
        this.serializer = serializer;
        this.metrics = metrics;
    }

    static DeadLetterPublisher configure(Map<String, ?> configs) {
        Object topic = configs.get(TOPIC_CONFIG);
        if (!(topic instanceof String) || ((String) topic).isBlank()) {
            throw new ConfigException(
                    TOPIC_CONFIG, topic, "the dead-letter topic must be set for the exception handlers");
        }
        Object serializer = configs.get(DeadLetterHandlers.SERIALIZER_CONFIG);
        if (!(serializer instanceof Serializer<?>)) {
            throw new ConfigException(
                    DeadLetterHandlers.SERIALIZER_CONFIG,
                    serializer,
                    "the dead-letter serializer must be set for the exception handlers");
        }
        Object metrics = configs.get(PipelineMetrics.CONFIG_KEY);
        @SuppressWarnings("unchecked") // put there by DeadLetterHandlers.streamsConfig, typed
        Serializer<DeadLetter> deadLetters = (Serializer<DeadLetter>) serializer;
        return new DeadLetterPublisher(
                (String) topic,
                deadLetters,
                metrics instanceof PipelineMetrics ? (PipelineMetrics) metrics : new PipelineMetrics());
    }

    List<ProducerRecord<byte[], byte[]>> deadLetter(
            ErrorHandlerContext context, RejectionReason reason, Exception exception) {
        DeadLetter deadLetter = DeadLetters.withReplayOf(
                        DeadLetters.builder(
                                reason,
                                DeadLetterMessages.describe(exception, context.sourceRawKey()),
                                new DeadLetters.Source(
                                        context.topic(),
                                        context.partition(),
                                        context.offset(),
                                        context.sourceRawKey(),
                                        context.sourceRawValue()),
                                Instant.now()),
                        context.headers())
                .build();
        metrics.deadLettered(reason.name());
        return List.of(new ProducerRecord<>(
                topic, null, DeadLetters.recordKey(context.sourceRawKey()), serializer.serialize(topic, deadLetter)));
    }

    /**
     * A schema registry that is unreachable, or that refuses us (credentials, compatibility), is not the record's
     * fault: dead-lettering would lose a valid record. Failing lets the thread be replaced and the record be
     * processed again, and a lasting refusal stops the instance where an operator sees it.
     */
    static boolean isRegistryFailure(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryUnavailableException || t instanceof SchemaRegistryException) {
                return true;
            }
        }
        return false;
    }
}
