package io.kobot.streams.observability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * A stream thread's producer that reports how each transaction ends. A transaction counts as aborted when it is
 * aborted explicitly or when the producer is closed with it still open: that is how Streams discards a fenced
 * producer (after the broker aborted a timed-out transaction) without calling {@code abortTransaction()}. A failed
 * commit is not counted by itself, because Streams may retry it; what follows it decides.
 */
final class TransactionCountingProducer implements Producer<byte[], byte[]> {
    private final Producer<byte[], byte[]> delegate;
    private final TransactionCounts counts;
    /** Only the owning stream thread calls a transactional producer; close may come from another thread. */
    private volatile boolean inTransaction;

    TransactionCountingProducer(Producer<byte[], byte[]> delegate, TransactionCounts counts) {
        this.delegate = delegate;
        this.counts = counts;
    }

    @Override
    public void beginTransaction() {
        delegate.beginTransaction();
        inTransaction = true;
    }

    @Override
    public void commitTransaction() {
        delegate.commitTransaction();
        if (inTransaction) {
            inTransaction = false;
            counts.onCommitted();
        }
    }

    @Override
    public void abortTransaction() {
        endAborted();
        delegate.abortTransaction();
    }

    @Override
    public void close() {
        endAborted();
        delegate.close();
    }

    @Override
    public void close(Duration timeout) {
        endAborted();
        delegate.close(timeout);
    }

    private void endAborted() {
        if (inTransaction) {
            inTransaction = false;
            counts.onAborted();
        }
    }

    @Override
    public void initTransactions() {
        delegate.initTransactions();
    }

    @Override
    public void sendOffsetsToTransaction(
            Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
        delegate.sendOffsetsToTransaction(offsets, groupMetadata);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        return delegate.send(record);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
        return delegate.send(record, callback);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return delegate.partitionsFor(topic);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return delegate.metrics();
    }

    @Override
    public Uuid clientInstanceId(Duration timeout) {
        return delegate.clientInstanceId(timeout);
    }

    @Override
    public void registerMetricForSubscription(KafkaMetric metric) {
        delegate.registerMetricForSubscription(metric);
    }

    @Override
    public void unregisterMetricFromSubscription(KafkaMetric metric) {
        delegate.unregisterMetricFromSubscription(metric);
    }
}
