package io.kobot.messenger.publish;

import io.kobot.messenger.mapping.RejectedItem;
import io.kobot.schema.BotInteraction;
import java.util.List;

/**
 * Publishes the records of one webhook request, its interactions and the dead letters of its malformed items,
 * returning only once every one is acknowledged.
 */
public interface InteractionPublisher extends AutoCloseable {
    /** @throws PublishFailedException when any record was not acknowledged in time; some may still land */
    void publishAll(List<BotInteraction> interactions, List<RejectedItem> rejected) throws PublishFailedException;

    @Override
    void close();
}
