package io.kobot.streams.observability;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * How the stream threads' transactions ended: committed or aborted. Kafka Streams counts neither; an aborted
 * transaction (the broker timed it out, the producer was fenced, a task was corrupted) means its tasks are closed
 * dirty and their work is done again, so operators alert on the aborted count. The counts come from the producers
 * Streams creates through {@link #clientSupplier()}, each wrapped in a {@link TransactionCountingProducer}, and
 * are exposed as {@code kobot.transactions.committed} and {@code kobot.transactions.aborted}.
 */
public final class TransactionCounts implements MeterBinder {
    private final LongAdder committed = new LongAdder();
    private final LongAdder aborted = new LongAdder();

    /** The clients Kafka Streams creates by default, with every producer counting how its transactions end. */
    public KafkaClientSupplier clientSupplier() {
        return new CountingClientSupplier();
    }

    public long committed() {
        return committed.sum();
    }

    public long aborted() {
        return aborted.sum();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("kobot.transactions.committed", this, TransactionCounts::committed)
                .description("Stream-thread transactions committed (exactly_once_v2 only)")
                .register(registry);
        FunctionCounter.builder("kobot.transactions.aborted", this, TransactionCounts::aborted)
                .description("Stream-thread transactions aborted or abandoned: their tasks' work is done again")
                .register(registry);
    }

    void onCommitted() {
        committed.increment();
    }

    void onAborted() {
        aborted.increment();
    }

    private final class CountingClientSupplier implements KafkaClientSupplier {
        @Override
        public Admin getAdmin(Map<String, Object> config) {
            return Admin.create(config);
        }

        @Override
        public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
            return new TransactionCountingProducer(
                    new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()),
                    TransactionCounts.this);
        }

        @Override
        public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
            return byteConsumer(config);
        }

        @Override
        public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
            return byteConsumer(config);
        }

        @Override
        public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
            return byteConsumer(config);
        }

        private Consumer<byte[], byte[]> byteConsumer(Map<String, Object> config) {
            return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
    }
}
