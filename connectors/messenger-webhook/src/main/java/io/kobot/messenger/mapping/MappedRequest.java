package io.kobot.messenger.mapping;

import io.kobot.schema.BotInteraction;
import java.util.List;
import java.util.Map;

/**
 * The records one webhook request maps to, in order, and how many items ended each way.
 *
 * @param outcomes how many items (delivered ids, for deliveries) ended each way; absent outcomes are zero
 */
public record MappedRequest(List<BotInteraction> interactions, Map<ItemOutcome, Integer> outcomes) {
    public MappedRequest {
        interactions = List.copyOf(interactions);
        outcomes = Map.copyOf(outcomes);
    }

    public int count(ItemOutcome outcome) {
        return outcomes.getOrDefault(outcome, 0);
    }
}
