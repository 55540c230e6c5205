package io.kobot.streams.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The transaction counts against a real broker and real Kafka Streams under exactly_once_v2: a stream thread that
 * fails mid-transaction has it aborted (the "partial" record it held never becomes visible) and counted once.
 */
@ExtendWith(RealInfrastructureExtension.class)
class TransactionCountsIT {
    @Test
    void aTransactionAbortedByAFailingStreamThreadIsCountedOnce(KafkaBroker broker) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String input = "txn-in-" + suffix;
        String output = "txn-out-" + suffix;
        broker.createTopic(input, 1);
        broker.createTopic(output, 1);
        AtomicBoolean failOnce = new AtomicBoolean(true);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                // Writes "partial" (which opens the transaction), then fails: once.
                .flatMapValues(value -> value.equals("fail") && failOnce.getAndSet(false)
                        ? () -> List.of("partial", "unreachable").stream()
                                .map(v -> {
                                    if (v.equals("unreachable")) {
                                        throw new IllegalStateException("failing mid-transaction on purpose");
                                    }
                                    return v;
                                })
                                .iterator()
                        : List.of(value))
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.putAll(broker.clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "txn-counts-" + suffix);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/txn-counts-" + suffix);
        TransactionCounts counts = new TransactionCounts();

        try (KafkaStreams streams = new KafkaStreams(builder.build(), props, counts.clientSupplier());
                KafkaProducer<String, String> producer = new KafkaProducer<>(
                        broker.clientProperties(), new StringSerializer(), new StringSerializer())) {
            streams.setUncaughtExceptionHandler(e -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
            streams.start();
            producer.send(new ProducerRecord<>(input, "k", "first")).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> counts.committed() >= 1);
            assertThat(counts.aborted()).isZero();

            producer.send(new ProducerRecord<>(input, "k", "fail")).get();

            await().atMost(Duration.ofSeconds(30)).until(() -> streams.state() == KafkaStreams.State.ERROR);
            assertThat(counts.aborted()).isOne();
            assertThat(readCommitted(broker, output, 1)).containsExactly("first");
        }
    }

    private static List<String> readCommitted(KafkaBroker broker, String topic, int expected) {
        Map<String, Object> config = broker.clientProperties();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return values.size() >= expected;
            });
            // The aborted transaction ended before this read began: a record it held would arrive by now.
            consumer.poll(Duration.ofSeconds(2)).forEach(r -> values.add(r.value()));
        }
        return values;
    }
}
