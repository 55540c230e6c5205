package io.kobot.faults;

import java.time.Duration;

/**
 * How big each scenario is. The normal build runs the reduced sizes, so the suite stays within a few minutes;
 * {@code -Pfaults} (system property {@code faults.full=true}) runs the sizes of issue 6.
 *
 * @param records       interactions in the SIGKILL run
 * @param kills         SIGKILLs in that run
 * @param outage        how long the endpoint fails (first half 503, second half connection refused)
 * @param fuzzed        bad records, interleaved with as many valid ones
 * @param publishRate   records per second while publishing during a run
 */
record FaultSizes(boolean full, int records, int kills, Duration outage, int fuzzed, int publishRate) {

    static FaultSizes current() {
        return Boolean.getBoolean("faults.full")
                ? new FaultSizes(true, 200_000, 5, Duration.ofSeconds(60), 10_000, 4_000)
                : new FaultSizes(false, 20_000, 2, Duration.ofSeconds(10), 2_000, 1_000);
    }

    String label() {
        return full ? "full" : "reduced";
    }
}
