package io.kobot.bench;

import io.kobot.kochava.KochavaClientConfig;
import io.kobot.kochava.KochavaRequest;
import io.kobot.kochava.KochavaRequests;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.streams.enrich.Engagements;
import io.kobot.streams.ingest.JsonInteractionReader;
import io.kobot.streams.ingest.ValueDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * (e) The naive way: a plain consumer loop that decodes each record and sends it to Kochava with one
 * synchronous request (java.net.http), waiting for the answer before the next. No dedup, no enrichment. It
 * stops after {@code maxRecords} or {@code maxTime}, whichever comes first; its rate is extrapolated from that.
 */
final class NaiveBaseline {
    private final String bootstrapServers;
    private final KochavaRequests requests;
    private final ValueDecoder<BotInteraction> decoder = new ValueDecoder<>(
            SpecificAvroSerde.of(BotInteraction.class, BenchSample.REGISTRY, false)
                    .deserializer(),
            new JsonInteractionReader());
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    NaiveBaseline(String bootstrapServers, Map<String, Object> kochavaConfig) {
        this.bootstrapServers = bootstrapServers;
        this.requests = new KochavaRequests(KochavaClientConfig.from(kochavaConfig));
    }

    Throughput run(String input, int maxRecords, Duration maxTime) throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        100),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(input).stream()
                    .map(info -> new TopicPartition(input, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long start = System.nanoTime();
            long deadline = start + maxTime.toNanos();
            int sent = 0;
            while (sent < maxRecords && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (sent == maxRecords || System.nanoTime() >= deadline) {
                        break;
                    }
                    send(requests.forEngagement(Engagements.of(
                            decoder.decode(input, record.value()), null, Instant.ofEpochMilli(record.timestamp()))));
                    sent++;
                }
            }
            return Throughput.since(sent, start);
        }
    }

    private void send(KochavaRequest request) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(Duration.ofSeconds(10));
        if (request.body() != null) {
            builder.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(request.body()));
        }
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw new IllegalStateException("The receiver answered " + response.statusCode());
        }
    }
}
