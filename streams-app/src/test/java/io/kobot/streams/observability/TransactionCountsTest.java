package io.kobot.streams.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransactionCountsTest {
    private final TransactionCounts counts = new TransactionCounts();
    private MockProducer<byte[], byte[]> mock;
    private TransactionCountingProducer producer;

    @BeforeEach
    void transactionalProducer() {
        mock = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        producer = new TransactionCountingProducer(mock, counts);
        producer.initTransactions();
    }

    @Test
    void aCommittedTransactionCountsAsCommitted() {
        producer.beginTransaction();
        producer.commitTransaction();

        assertThat(counts.committed()).isOne();
        assertThat(counts.aborted()).isZero();
    }

    @Test
    void anAbortedTransactionCountsOnceEvenWhenTheProducerIsThenClosed() {
        producer.beginTransaction();
        producer.abortTransaction();
        producer.close();

        assertThat(counts.aborted()).isOne();
        assertThat(counts.committed()).isZero();
    }

    @Test
    void closingAProducerWithAnOpenTransactionCountsItAsAborted() {
        // How Streams discards a fenced producer: it closes it without abortTransaction().
        producer.beginTransaction();
        producer.close();

        assertThat(counts.aborted()).isOne();
    }

    @Test
    void aFailedCommitIsDecidedByWhatFollowsIt() {
        producer.beginTransaction();
        mock.commitTransactionException = new ProducerFencedException("fenced");
        assertThatThrownBy(producer::commitTransaction).isInstanceOf(ProducerFencedException.class);
        assertThat(counts.aborted()).isZero();

        producer.close();

        assertThat(counts.aborted()).isOne();
        assertThat(counts.committed()).isZero();
    }

    @Test
    void closingBetweenTransactionsCountsNothing() {
        producer.beginTransaction();
        producer.commitTransaction();
        producer.close();

        assertThat(counts.committed()).isOne();
        assertThat(counts.aborted()).isZero();
    }
}
