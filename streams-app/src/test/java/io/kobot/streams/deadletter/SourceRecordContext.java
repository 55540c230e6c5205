package io.kobot.streams.deadletter;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;

/** What Kafka Streams tells an exception handler about the source record: its place, processor and raw bytes. */
record SourceRecordContext(
        String topic, int partition, long offset, String processorNodeId, byte[] sourceRawKey, byte[] sourceRawValue)
        implements ErrorHandlerContext {

    @Override
    public Headers headers() {
        return new RecordHeaders();
    }

    /** The task of sub-topology 0 that reads this partition. */
    @Override
    public TaskId taskId() {
        return new TaskId(0, partition);
    }

    @Override
    public long timestamp() {
        return 0L;
    }
}
