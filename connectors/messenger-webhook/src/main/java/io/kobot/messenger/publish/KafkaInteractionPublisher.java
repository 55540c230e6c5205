package io.kobot.messenger.publish;

import io.kobot.messenger.mapping.RejectedItem;
import io.kobot.partitioning.JoinKeyPartitioner;
import io.kobot.registry.SpecificAvroSerializer;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes to the interactions topic as the contract asks of bot servers: keyed by {@code fb_user_id} (UTF-8),
 * placed as the pipeline places join keys ({@code partitioning.partitioner}), Avro in the Confluent wire format
 * through the project's registry serializer, with an idempotent producer and {@code acks=all}. One producer for
 * every request (it is thread-safe); a request waits for its own records only, at most {@code timeout}. Malformed
 * items go to the dead-letter topic ({@link IntakeDeadLetters}) by the same producer, acknowledged like the rest
 * before the request is answered.
 */
public final class KafkaInteractionPublisher implements InteractionPublisher {
    private final KafkaProducer<byte[], byte[]> producer;
    private final SpecificAvroSerializer<BotInteraction> interactionSerializer = new SpecificAvroSerializer<>();
    private final SpecificAvroSerializer<DeadLetter> deadLetterSerializer = new SpecificAvroSerializer<>();
    private final String topic;
    private final String deadLetterTopic;
    private final Duration timeout;

    /**
     * @param kafkaProperties pass-through client settings (security), overridden by the intake's own
     * @param registryConfig  the registry serde's configuration
     * @param partitioner     where records go by their key: where the pipeline looks for them
     */
    public KafkaInteractionPublisher(
            String bootstrapServers,
            Map<String, String> kafkaProperties,
            Map<String, Object> registryConfig,
            String topic,
            String deadLetterTopic,
            Duration timeout,
            JoinKeyPartitioner partitioner) {
        Map<String, Object> props = new HashMap<>(kafkaProperties);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        partitioner
                .producerPartitioner()
                .ifPresent(type -> props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, type.getName()));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // send() blocks for metadata at most this long; a request never outlives its timeout there either.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "kobot-messenger-webhook");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        interactionSerializer.configure(registryConfig, false);
        deadLetterSerializer.configure(registryConfig, false);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.deadLetterTopic = deadLetterTopic;
        this.timeout = timeout;
    }

    @Override
    public void publishAll(List<BotInteraction> interactions, List<RejectedItem> rejected)
            throws PublishFailedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Future<RecordMetadata>> acks = new ArrayList<>(interactions.size() + rejected.size());
        boolean interrupted = false;
        try {
            for (BotInteraction interaction : interactions) {
                // The UTF-8 bytes of fb_user_id: the key, and so the partition, a StringSerializer would give.
                byte[] key = interaction.getFbUserId().getBytes(StandardCharsets.UTF_8);
                acks.add(producer.send(
                        new ProducerRecord<>(topic, key, interactionSerializer.serialize(topic, interaction))));
            }
            Instant now = Instant.now();
            for (RejectedItem item : rejected) {
                DeadLetter deadLetter = IntakeDeadLetters.of(item, now);
                byte[] key = item.pageId() == null ? null : item.pageId().getBytes(StandardCharsets.UTF_8);
                acks.add(producer.send(new ProducerRecord<>(
                        deadLetterTopic, key, deadLetterSerializer.serialize(deadLetterTopic, deadLetter))));
            }
            for (Future<RecordMetadata> ack : acks) {
                while (true) {
                    try {
                        ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        break;
                    } catch (InterruptedException e) {
                        // The HTTP server interrupts its workers when it shuts down: the wait is bounded anyway, and
                        // an answer of 200 spares Meta a retry.
                        interrupted = true;
                    }
                }
            }
        } catch (ExecutionException e) {
            throw new PublishFailedException("the broker refused a record: " + describe(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishFailedException("no acknowledgement within " + timeout, e);
        } catch (KafkaException | IllegalStateException e) {
            // metadata not available within max.block.ms, the registry unreachable, the producer closing, …
            throw new PublishFailedException("the record could not be sent: " + describe(e), e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String describe(Throwable e) {
        return e == null ? "unknown" : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Flushes what is in flight, waiting at most {@code limit}, then closes. */
    public void close(Duration limit) {
        producer.close(limit);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
