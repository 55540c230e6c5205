package io.kobot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.devstack.sample.Interactions;
import io.kobot.devstack.sample.SampleInteraction;
import io.kobot.devstack.sample.SampleRecord;
import io.kobot.devstack.sample.WireEncoder;
import io.kobot.devstack.sample.WireForm;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.streams.ingest.JsonInteractionReader;
import io.kobot.streams.ingest.ValueDecoder;
import java.net.URI;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

/** The sample's wire forms are what the project's serializer writes and what the pipeline's decoder reads. */
class BenchSampleTest {
    private static final String TOPIC = "bench-sample-test";

    @Test
    void avroIsByteForByteWhatTheProjectsSerializerWritesAndJsonDecodesToTheSameInteraction() throws Exception {
        Interactions workload = BenchSample.workload(42, 2_000, 500, URI.create("http://127.0.0.1:9/"));
        try (SpecificAvroSerde<BotInteraction> serde =
                SpecificAvroSerde.of(BotInteraction.class, BenchSample.REGISTRY, false)) {
            ValueDecoder<BotInteraction> decoder =
                    new ValueDecoder<>(serde.deserializer(), new JsonInteractionReader());
            WireEncoder encoder = BenchSample.encoder();
            int avro = 0;
            int json = 0;
            Iterator<SampleRecord> records = workload.records(TOPIC);
            for (int position = 0; records.hasNext(); position++) {
                SampleRecord record = records.next();
                BotInteraction decoded = decoder.decode(TOPIC, record.value());
                assertThat(decoded.getInteractionId()).hasToString(record.interactionId());
                if (workload.formAt(position) == WireForm.AVRO) {
                    avro++;
                    assertThat(serde.serializer().serialize(TOPIC, decoded)).isEqualTo(record.value());
                } else {
                    json++;
                    SampleInteraction same = workload.interaction(workload.idAt(position), record.timestampMillis());
                    assertThat(decoded).isEqualTo(decoder.decode(TOPIC, encoder.avro(TOPIC, same)));
                }
            }
            assertThat(avro).isBetween(800, 1_200);
            assertThat(json).isBetween(800, 1_200);
        }
    }
}
