package io.kobot.devstack.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.devstack.EmbeddedKafkaBroker;
import io.kobot.devstack.TopicAdmin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The publisher against the embedded broker: what its ledger says is what the topic holds. */
class PublisherIT {
    private static final int PARTITIONS = 4;
    private static EmbeddedKafkaBroker broker;
    private static TopicAdmin admin;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start();
        admin = new TopicAdmin(broker.bootstrapServers());
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        broker.close();
    }

    @Test
    void theLedgerHoldsWhatTheBrokerAcknowledgedWhereItWent() {
        admin.createTopic("murmur", PARTITIONS, Map.of());
        Interactions sample = Interactions.builder(1).unique(200).build(ContractSchemas.encoder());
        List<SampleRecord> bad = new FuzzedRecords(
                        "f-", "app", ContractSchemas.encoder(), "murmur", 9, System.currentTimeMillis(), 1)
                .malformed();

        try (Publisher publisher = Publisher.to(broker.bootstrapServers()).open()) {
            publisher.publish("murmur", sample.records("murmur"));
            publisher.publish("murmur", bad);

            PublishLedger ledger = publisher.ledger();
            assertThat(ledger.published()).isEqualTo(sample.positions() + bad.size());
            assertThat(ledger.acknowledged()).isEqualTo(ledger.published());
            assertThat(ledger.failed()).isZero();
            assertThat(ledger.accepted()).hasSize(200);
            assertThat(ledger.badAcceptedByKind())
                    .containsEntry("UNPARSEABLE", 2L)
                    .containsEntry("INVALID_AVRO", 1L);
            List<ConsumerRecord<byte[], byte[]>> read = readAll("murmur", (int) ledger.published());
            for (ConsumerRecord<byte[], byte[]> record : read) {
                if (record.key() != null && record.value() != null && record.value()[0] != 0x13) {
                    assertThat(record.partition())
                            .isEqualTo(Utils.toPositive(Utils.murmur2(record.key())) % PARTITIONS);
                }
            }
            Map<String, Integer> partitions = ledger.partitions();
            assertThat(partitions).hasSize(200);
            sample.records("murmur")
                    .forEachRemaining(record -> assertThat(partitions.get(record.interactionId()))
                            .isEqualTo(Utils.toPositive(Utils.murmur2(record.key())) % PARTITIONS));
        }
    }

    @Test
    void theCrc32PartitionerPlacesRecordsAsLibrdkafkaDoes() {
        admin.createTopic("crc32", PARTITIONS, Map.of());
        Interactions sample = Interactions.builder(2).unique(100).build(ContractSchemas.encoder());

        try (Publisher publisher = Publisher.to(broker.bootstrapServers())
                .partitioner(Crc32Partitioner.class)
                .open()) {
            publisher.publish("crc32", sample.records("crc32"));

            Map<String, Integer> partitions = publisher.ledger().partitions();
            int differFromMurmur2 = 0;
            for (ConsumerRecord<byte[], byte[]> record : readAll("crc32", sample.positions())) {
                assertThat(record.partition()).isEqualTo(Crc32Partitioner.partition(record.key(), PARTITIONS));
                if (record.partition() != Utils.toPositive(Utils.murmur2(record.key())) % PARTITIONS) {
                    differFromMurmur2++;
                }
            }
            assertThat(differFromMurmur2)
                    .as("records placed apart from murmur2")
                    .isPositive();
            assertThat(Set.copyOf(partitions.values())).hasSize(PARTITIONS);
        }
    }

    @Test
    void publishingAtARateTakesAboutAsLongAsTheRateSays() throws Exception {
        admin.createTopic("paced", 1, Map.of());
        Interactions sample =
                Interactions.builder(3).unique(100).duplicateShare(0).build(ContractSchemas.encoder());

        try (Publisher publisher =
                Publisher.to(broker.bootstrapServers()).keepIds(false).open()) {
            long start = System.nanoTime();
            publisher.publishAtRate("paced", sample.records("paced"), 200).get(30, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(millis).as("100 records at 200/s").isGreaterThanOrEqualTo(490);
            assertThat(publisher.ledger().acknowledged()).isEqualTo(100);
            assertThat(publisher.ledger().accepted()).as("ids not kept").isEmpty();
            List<ConsumerRecord<byte[], byte[]>> read = readAll("paced", 100);
            long spread = read.get(99).timestamp() - read.get(0).timestamp();
            assertThat(spread).as("record timestamps follow the pace, ms").isGreaterThanOrEqualTo(480);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).as("records read from %s", topic).hasSize(expected);
        records.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        return records;
    }
}
