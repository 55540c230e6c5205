package io.kobot.streams.app;

import io.kobot.streams.config.PipelineConfig;
import io.kobot.streams.deadletter.DeadLetterHandlers;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.streams.topology.PipelineSerdes;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams and admin client configurations derived from the pipeline configuration. Public so that the
 * benchmark runs the topology with exactly the settings the application gives it.
 */
public final class StreamsProperties {
    private StreamsProperties() {}

    /**
     * Producer batches of the Streams producer, in bytes, instead of the client's 16 KiB. Each record turns into an
     * engagement, a dedup changelog write and often a repartition record, a few hundred bytes each, across a dozen
     * partitions: with 16 KiB batches the producer sends many small requests, which cost the stream thread and
     * the broker. Measured with the benchmark's topology phase on 2 cores: about +10 % records/s and 0.1 core less
     * broker CPU (see docs/development.md, the performance pass). The memory it can take is bounded by {@code buffer.memory}.
     */
    static final int PRODUCER_BATCH_SIZE = 128 * 1024;

    /**
     * Compression of the Streams producer's batches (engagements, changelogs, repartition records), instead of the
     * client's none. The records repeat app ids, field names and identifiers, so lz4 shrinks what the pipeline
     * writes to Kafka (and replicates and keeps) by about 70 %: measured with the benchmark's topology phase, 231 to
     * 66 bytes per input record. lz4 is the cheapest of Kafka's codecs to compress, on the stream thread, and to
     * decompress, on the broker and in every reader. Topics keep {@code compression.type=producer}, Kafka's default.
     */
    static final String PRODUCER_COMPRESSION_TYPE = "lz4";

    /**
     * How long the group coordinator waits for a silent member before it hands the member's tasks to the others,
     * instead of the consumer's 45 s: a SIGKILLed (or OOM-killed, or partitioned) instance's partitions then resume
     * on a survivor within 15 s, session timeout plus a heartbeat plus the rebalance and restore (measured in the
     * fault suite's FailoverFaultIT). Kafka Streams does not leave the group on close, so a rolling restart waits
     * this long too. The cost: a member silent this long (a stop-the-world pause, a network blip) is dropped and
     * its tasks move, which under EOS fences it. Heartbeats come from the consumer's background thread, so long
     * processing does not count, and 8 s is within the broker's default range (group.min.session.timeout.ms 6 s).
     */
    static final int SESSION_TIMEOUT_MS = 8_000;
    /** A quarter of the session timeout: three heartbeats may be lost before the member is. */
    static final int HEARTBEAT_INTERVAL_MS = 2_000;

    /**
     * Pipeline defaults first, unless the pass-through {@code kafka.} keys set them (prefixed or not), then the
     * pass-through keys, then the settings the pipeline owns, which always win.
     *
     * @param serdes the instance's serdes, whose dead-letter serializer the exception handlers write with
     */
    public static Properties streams(PipelineConfig config, PipelineMetrics metrics, PipelineSerdes serdes) {
        Properties props = new Properties();
        Map<String, String> passThrough = config.kafkaProperties();
        if (!passThrough.containsKey(ProducerConfig.BATCH_SIZE_CONFIG)
                && !passThrough.containsKey(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG))) {
            props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_SIZE);
        }
        if (!passThrough.containsKey(ProducerConfig.COMPRESSION_TYPE_CONFIG)
                && !passThrough.containsKey(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG))) {
            props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), PRODUCER_COMPRESSION_TYPE);
        }
        // Only for the classic protocol: with group.protocol=streams (KIP-1071) the broker's group configuration
        // (group.streams.session.timeout.ms) decides, and the client must not set them.
        if (!"streams".equalsIgnoreCase(passThrough.get(StreamsConfig.GROUP_PROTOCOL_CONFIG))) {
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
            props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MS);
        }
        props.putAll(passThrough);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.numStreamThreads());
        config.stateDir().ifPresent(dir -> props.put(StreamsConfig.STATE_DIR_CONFIG, dir));
        // The topology names every topic, store and processor; Streams refuses to start if one is generated,
        // because a generated name changes with the topology and would orphan state on upgrade.
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.putAll(DeadLetterHandlers.streamsConfig(
                config.topicNames().deadLetters(), metrics, serdes.deadLetter().serializer()));
        return props;
    }

    /** Admin client settings: the connection and security keys of the pass-through, plus {@code admin.*}. */
    static Map<String, Object> admin(PipelineConfig config) {
        Map<String, Object> props = new HashMap<>();
        config.kafkaProperties().forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                props.put(key, value);
            }
        });
        config.kafkaProperties().forEach((key, value) -> {
            if (key.startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX)) {
                props.put(key.substring(StreamsConfig.ADMIN_CLIENT_PREFIX.length()), value);
            }
        });
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return props;
    }
}
