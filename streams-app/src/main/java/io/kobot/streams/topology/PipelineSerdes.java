package io.kobot.streams.topology;

import io.kobot.registry.SchemaRegistryClient;
import io.kobot.registry.SchemaRegistryClients;
import io.kobot.registry.SchemaRegistryConfig;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.schema.EngagementDelivery;
import io.kobot.schema.IdentityLink;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The explicit value serdes of the pipeline's Avro types, all over one schema registry client: one cache and one
 * connection pool per running instance, whatever uses them (the topology, the delivery sink, the dead-letter
 * handlers, the replay command). Whoever builds it closes it, once nothing uses its serdes any more (after Kafka
 * Streams closed); the serdes themselves never close the client. Keys are raw bytes throughout: the UTF-8 of
 * fb_user_id as producers write it, and the original key bytes on the dead-letter topic.
 */
public final class PipelineSerdes implements AutoCloseable {
    private final SchemaRegistryClient client;
    private final SpecificAvroSerde<BotInteraction> interaction;
    private final SpecificAvroSerde<IdentityLink> identityLink;
    private final SpecificAvroSerde<Engagement> engagement;
    private final Serde<Engagement> engagementWritten;
    private final SpecificAvroSerde<EngagementDelivery> delivery;
    private final SpecificAvroSerde<DeadLetter> deadLetter;

    /** @param registryConfig {@code schema.registry.url} and, if needed, its credentials */
    public PipelineSerdes(Map<String, ?> registryConfig) {
        SchemaRegistryConfig config = SchemaRegistryConfig.from(registryConfig);
        this.client = SchemaRegistryClients.create(config);
        this.interaction = SpecificAvroSerde.sharing(BotInteraction.class, client, config, false);
        this.identityLink = SpecificAvroSerde.sharing(IdentityLink.class, client, config, false);
        this.engagement = SpecificAvroSerde.sharing(Engagement.class, client, config, false);
        this.engagementWritten =
                Serdes.serdeFrom(new SerializedOnce<>(engagement.serializer()), engagement.deserializer());
        this.delivery = SpecificAvroSerde.sharing(EngagementDelivery.class, client, config, false);
        this.deadLetter = SpecificAvroSerde.sharing(DeadLetter.class, client, config, false);
    }

    public SpecificAvroSerde<BotInteraction> interaction() {
        return interaction;
    }

    public SpecificAvroSerde<IdentityLink> identityLink() {
        return identityLink;
    }

    public SpecificAvroSerde<Engagement> engagement() {
        return engagement;
    }

    /**
     * The engagement serde of what the topology writes, {@code bot.engagements} and the delivery outbox: it
     * serializes each engagement once for both ({@link SerializedOnce}); the bytes are {@link #engagement()}'s.
     */
    public Serde<Engagement> engagementWritten() {
        return engagementWritten;
    }

    public SpecificAvroSerde<EngagementDelivery> delivery() {
        return delivery;
    }

    public SpecificAvroSerde<DeadLetter> deadLetter() {
        return deadLetter;
    }

    /** Closes the registry client, and with it its connections: every serde of this instance stops working. */
    @Override
    public void close() {
        client.close();
    }
}
