package io.kobot.streams.enrich;

import io.kobot.schema.BotInteraction;
import io.kobot.schema.IdentityLink;

/**
 * A unique interaction and the user's IdentityLink (null when the user has none, or has no fb_user_id).
 * Lives only between the join and {@link EngagementAssembler}; never serialised.
 */
public record Enrichment(BotInteraction interaction, IdentityLink link) {}
