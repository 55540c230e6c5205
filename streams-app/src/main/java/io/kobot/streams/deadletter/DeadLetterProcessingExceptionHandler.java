package io.kobot.streams.deadletter;

import io.kobot.schema.deadletter.RejectionReason;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An unexpected exception in a processor dead-letters the source record ({@code PROCESSING_ERROR}) and the
 * task carries on, so one poison record cannot stop a stream thread. Schema registry failures (unreachable, or
 * refusing us) are not the record's fault and fail instead: the thread is replaced and the record is processed
 * again.
 */
public final class DeadLetterProcessingExceptionHandler implements ProcessingExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingExceptionHandler.class);

    private DeadLetterPublisher publisher;

    @Override
    public void configure(Map<String, ?> configs) {
        publisher = DeadLetterPublisher.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (DeadLetterPublisher.isRegistryFailure(exception)) {
            log.warn(
                    "Schema registry failure in processor {} of task {}; failing so that the record is retried",
                    context.processorNodeId(),
                    context.taskId(),
                    exception);
            return Response.fail();
        }
        log.error(
                "Processor {} failed on {}-{}@{}; the record goes to the dead-letter topic",
                context.processorNodeId(),
                context.topic(),
                context.partition(),
                context.offset(),
                exception);
        return Response.resume(publisher.deadLetter(context, RejectionReason.PROCESSING_ERROR, exception));
    }
}
