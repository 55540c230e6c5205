package io.kobot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerIT {

    private static final Map<String, Object> READ_COMMITTED =
            Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");

    private static KafkaBroker kafka;

    @BeforeAll
    static void startBroker() {
        long startNs = System.nanoTime();
        kafka = KafkaBrokers.start();
        System.out.println(kafka.getClass().getSimpleName() + " ready in " + TestClients.seconds(startNs));
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void createsTopicWithConfigsAndRoundTripsRecords() throws Exception {
        kafka.createTopic("plain", 3, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

        try (Admin admin = Admin.create(kafka.clientProperties())) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "plain");
            ConfigEntry policy =
                    admin.describeConfigs(List.of(topic)).all().get().get(topic).get(TopicConfig.CLEANUP_POLICY_CONFIG);
            assertThat(policy.value()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
            assertThat(admin.describeTopics(List.of("plain"))
                            .allTopicNames()
                            .get()
                            .get("plain")
                            .partitions())
                    .hasSize(3);
        }
        try (KafkaProducer<String, String> producer = TestClients.producer(kafka, Map.of())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("plain", "k" + i, "v" + i)).get();
            }
        }

        assertThat(TestClients.consume(kafka, "plain", 10, Map.of()))
                .extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
    }

    @Test
    void readCommittedConsumerSeesCommittedTransactionsOnly() {
        kafka.createTopic("transactional", 1);
        Map<String, Object> transactional = Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "harness-it");
        try (KafkaProducer<String, String> producer = TestClients.producer(kafka, transactional)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactional", "k", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactional", "k", "committed"));
            producer.commitTransaction();
        }

        assertThat(TestClients.consume(kafka, "transactional", 1, READ_COMMITTED))
                .extracting(ConsumerRecord::value)
                .containsExactly("committed");
    }

    @Test
    void servesKafkaStreamsExactlyOnceV2(@TempDir Path stateDir) {
        kafka.createTopic("streams-in", 2);
        kafka.createTopic("streams-out", 2);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("streams-in", Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(value -> value.toUpperCase())
                .to("streams-out", Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "harness-eos-it");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);

        try (KafkaStreams streams = new KafkaStreams(builder.build(), props);
                KafkaProducer<String, String> producer = TestClients.producer(kafka, Map.of())) {
            streams.start();
            producer.send(new ProducerRecord<>("streams-in", "a", "one"));
            producer.send(new ProducerRecord<>("streams-in", "b", "two"));
            producer.flush();

            assertThat(TestClients.consume(kafka, "streams-out", 2, READ_COMMITTED))
                    .extracting(ConsumerRecord::value)
                    .containsExactlyInAnyOrder("ONE", "TWO");
            streams.close(Duration.ofSeconds(30));
        }
    }
}
