package io.kobot.messenger.mapping;

import io.kobot.schema.BotInteraction;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records one webhook request maps to, in order, and how many items ended each way.
 *
 * @param outcomes     how many items (delivered ids, for deliveries) ended each way; absent outcomes are zero
 * @param unknownPages the ids of pages without configuration whose items were left out (page ids are not personal)
 * @param rejected     the malformed items, for the dead-letter topic
 */
public record MappedRequest(
        List<BotInteraction> interactions,
        Map<ItemOutcome, Integer> outcomes,
        Set<String> unknownPages,
        List<RejectedItem> rejected) {
    public MappedRequest {
        interactions = List.copyOf(interactions);
        outcomes = Map.copyOf(outcomes);
        unknownPages = Set.copyOf(unknownPages);
        rejected = List.copyOf(rejected);
    }

    public int count(ItemOutcome outcome) {
        return outcomes.getOrDefault(outcome, 0);
    }
}
