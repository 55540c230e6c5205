package io.kobot.streams.deliver;

import io.kobot.schema.DeadLetter;
import io.kobot.schema.EngagementDelivery;
import java.util.Objects;

/**
 * What the delivery processor emits for one engagement: its audit record, and its dead letter when delivery
 * failed. Lives only between the processor and the branches that route it; it is never serialized.
 */
record DeliveryOutput(EngagementDelivery audit, DeadLetter deadLetter) {
    DeliveryOutput {
        Objects.requireNonNull(audit, "audit");
    }

    boolean failed() {
        return deadLetter != null;
    }
}
