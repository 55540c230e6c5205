package io.kobot.streams.deliver;

import io.kobot.schema.DeliveryOutcome;
import io.kobot.schema.EngagementDelivery;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which outcomes get an audit record ({@code delivery.audit}). Every outcome is also counted in the delivery
 * metrics, and every failure is dead-lettered, whatever is audited.
 */
public enum AuditScope {
    /** Every outcome: one audit record per delivered engagement. */
    ALL,
    /** Only engagements that were not delivered (rejected, retries exhausted): the audit trail of failures. */
    FAILURES,
    /** None: no audit topic writes; the metrics and the dead letters remain. */
    OFF;

    String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static AuditScope fromConfigName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    static String[] names() {
        return Arrays.stream(values()).map(AuditScope::configName).toArray(String[]::new);
    }

    /** Whether {@code audit} is written under this scope. */
    boolean keeps(EngagementDelivery audit) {
        return switch (this) {
            case ALL -> true;
            case FAILURES -> audit.getOutcome() != DeliveryOutcome.DELIVERED;
            case OFF -> false;
        };
    }
}
