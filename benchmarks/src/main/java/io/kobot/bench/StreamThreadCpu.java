package io.kobot.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * The CPU time of the Kafka Streams stream threads of this JVM ({@code …-StreamThread-N}), from the thread MX bean:
 * the topology's own work per record, which other processes on a shared machine slow down but do not inflate, so
 * it compares runs taken under different loads better than the wall-clock rate does.
 */
final class StreamThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private StreamThreadCpu() {}

    /** The CPU time used so far by the live stream threads, in nanoseconds. */
    static long nanos() {
        long total = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains("-StreamThread-")) {
                long cpu = THREADS.getThreadCpuTime(info.getThreadId());
                if (cpu > 0) {
                    total += cpu;
                }
            }
        }
        return total;
    }
}
