package io.kobot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class KafkaBrokerRestartIT {

    @Test
    void restartKeepsAddressAndData() throws Exception {
        try (KafkaBroker kafka = KafkaBrokers.start();
                KafkaProducer<String, String> producer = TestClients.producer(kafka, Map.of())) {
            String address = kafka.bootstrapServers();
            kafka.createTopic("survivor", 1);
            producer.send(new ProducerRecord<>("survivor", "k", "before")).get();

            long startNs = System.nanoTime();
            kafka.restart();
            System.out.println("broker restarted in " + TestClients.seconds(startNs));

            // The producer made before the restart reconnects by itself.
            producer.send(new ProducerRecord<>("survivor", "k", "after")).get();
            assertThat(kafka.bootstrapServers()).isEqualTo(address);
            assertThat(TestClients.consume(kafka, "survivor", 2, Map.of()))
                    .extracting(ConsumerRecord::value)
                    .containsExactly("before", "after");
        }
    }
}
