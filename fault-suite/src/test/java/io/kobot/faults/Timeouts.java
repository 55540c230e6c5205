package io.kobot.faults;

import java.time.Duration;

/** How long a scenario may take to deliver everything once its faults are over. */
final class Timeouts {
    private Timeouts() {}

    static Duration delivery(FaultSizes sizes) {
        return sizes.full() ? Duration.ofMinutes(10) : Duration.ofMinutes(3);
    }
}
