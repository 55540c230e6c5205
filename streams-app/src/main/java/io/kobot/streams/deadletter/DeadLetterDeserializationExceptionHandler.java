package io.kobot.streams.deadletter;

import io.kobot.schema.deadletter.RejectionReason;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record Kafka Streams cannot deserialize (on an internal topic: source topics are read as bytes and
 * decoded by the ingest processors) is dead-lettered ({@code DESERIALIZATION_ERROR}) and skipped. An unreachable
 * schema registry fails instead, so the record is read again once it is back.
 */
public final class DeadLetterDeserializationExceptionHandler implements DeserializationExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationExceptionHandler.class);

    private DeadLetterPublisher publisher;

    @Override
    public void configure(Map<String, ?> configs) {
        publisher = DeadLetterPublisher.configure(configs);
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (DeadLetterPublisher.isRegistryFailure(exception)) {
            log.warn(
                    "Schema registry failure while reading {}-{}@{}; failing so that the record is retried",
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    exception);
            return Response.fail();
        }
        log.error(
                "Cannot deserialize {}-{}@{}; the record goes to the dead-letter topic",
                context.topic(),
                context.partition(),
                context.offset(),
                exception);
        return Response.resume(publisher.deadLetter(context, RejectionReason.DESERIALIZATION_ERROR, exception));
    }
}
