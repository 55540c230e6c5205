package io.kobot.streams.topology;

import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.Engagement;
import io.kobot.schema.EngagementDelivery;
import io.kobot.schema.IdentityLink;
import java.util.Map;

/**
 * The explicit value serdes of the pipeline's Avro types, all configured against the same schema registry.
 * Keys are raw bytes throughout: the UTF-8 of fb_user_id as producers write it, and the original key bytes on
 * the dead-letter topic.
 */
public final class PipelineSerdes {
    private final SpecificAvroSerde<BotInteraction> interaction;
    private final SpecificAvroSerde<IdentityLink> identityLink;
    private final SpecificAvroSerde<Engagement> engagement;
    private final SpecificAvroSerde<EngagementDelivery> delivery;
    private final SpecificAvroSerde<DeadLetter> deadLetter;

    /** @param registryConfig {@code schema.registry.url} and, if needed, its credentials */
    public PipelineSerdes(Map<String, ?> registryConfig) {
        this.interaction = SpecificAvroSerde.of(BotInteraction.class, registryConfig, false);
        this.identityLink = SpecificAvroSerde.of(IdentityLink.class, registryConfig, false);
        this.engagement = SpecificAvroSerde.of(Engagement.class, registryConfig, false);
        this.delivery = SpecificAvroSerde.of(EngagementDelivery.class, registryConfig, false);
        this.deadLetter = SpecificAvroSerde.of(DeadLetter.class, registryConfig, false);
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

    public SpecificAvroSerde<EngagementDelivery> delivery() {
        return delivery;
    }

    public SpecificAvroSerde<DeadLetter> deadLetter() {
        return deadLetter;
    }
}
