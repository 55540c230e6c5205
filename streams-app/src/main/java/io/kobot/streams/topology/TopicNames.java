package io.kobot.streams.topology;

import java.util.Objects;

/** The pipeline's topics; every name is configurable (see docs/configuration.md). */
public record TopicNames(
        String interactions, String identityLinks, String engagements, String deliveries, String deadLetters) {
    public static final TopicNames DEFAULTS = new TopicNames(
            "bot.interactions",
            "bot.identity-links",
            "bot.engagements",
            "bot.engagements.delivered",
            "bot.interactions.dlq");

    public TopicNames {
        Objects.requireNonNull(interactions, "interactions");
        Objects.requireNonNull(identityLinks, "identityLinks");
        Objects.requireNonNull(engagements, "engagements");
        Objects.requireNonNull(deliveries, "deliveries");
        Objects.requireNonNull(deadLetters, "deadLetters");
    }
}
