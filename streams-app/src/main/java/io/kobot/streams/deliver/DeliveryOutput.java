package io.kobot.streams.deliver;

import io.kobot.schema.DeadLetter;
import io.kobot.schema.EngagementDelivery;
import java.util.Objects;

/**
 * What the delivery processor emits for one engagement: its audit record, and its dead letter when delivery
 * failed; or only a dead letter, for an outbox entry that could not be read back (there is no engagement to audit).
 * Lives only between the processor and the branches that route it; it is never serialized.
 */
record DeliveryOutput(EngagementDelivery audit, DeadLetter deadLetter) {
    DeliveryOutput {
        if (audit == null) {
            Objects.requireNonNull(deadLetter, "an output without an audit record needs a dead letter");
        }
    }

    boolean audited() {
        return audit != null;
    }

    boolean failed() {
        return deadLetter != null;
    }
}
