package io.kobot.faults;

/** Counts events per wall-clock second and remembers the busiest second, for the duplicate bound. */
final class RateMeter {
    private long second;
    private long count;
    private long peak;

    synchronized void tick() {
        long now = System.currentTimeMillis() / 1000;
        if (now != second) {
            second = now;
            count = 0;
        }
        count++;
        peak = Math.max(peak, count);
    }

    synchronized long peak() {
        return peak;
    }
}
