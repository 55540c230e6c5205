package io.kobot.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.function.Predicate;

/**
 * The CPU time of a set of this JVM's threads, by name, from the thread MX bean: other processes on a shared machine
 * slow these threads down but do not inflate their CPU time, so a per-record figure compares runs taken under
 * different loads better than a wall-clock rate does. Threads that ended meanwhile are not counted.
 */
final class ThreadCpu {
    /**
     * Kafka Streams' stream threads ({@code …-StreamThread-N}) and their producers' network threads ({@code
     * …-StreamThread-N-producer}): the topology's own work.
     */
    static final Predicate<String> STREAM_THREADS = name -> name.contains("-StreamThread-");

    /**
     * The Kochava client's threads: its I/O reactors ({@code kochava-post-http-…}, {@code kochava-ping-http-…}),
     * dispatchers, deadline timer and retry scheduler; not the stand-in's ({@code kochava-stand-in-…}), nor the
     * caller's thread that builds each request.
     */
    static final Predicate<String> KOCHAVA_CLIENT_THREADS =
            name -> name.startsWith("kochava-") && !name.startsWith("kochava-stand-in");

    /**
     * The Kochava stand-in's threads: HttpCore's server threads ({@code server-listener-…}, {@code
     * server-dispatch-…}; the stand-in is the only HttpCore server in the benchmark's JVM) and its timer. A remote
     * Kochava would not share the machine: this is how much of it the simulation takes.
     */
    static final Predicate<String> RECEIVER_THREADS =
            name -> name.startsWith("server-") || name.startsWith("kochava-stand-in");

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {}

    /** The CPU time used so far by the live threads whose names match, in nanoseconds. */
    static long nanos(Predicate<String> names) {
        long total = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && names.test(info.getThreadName())) {
                long cpu = THREADS.getThreadCpuTime(info.getThreadId());
                if (cpu > 0) {
                    total += cpu;
                }
            }
        }
        return total;
    }

    /** The CPU time used so far by the calling thread, in nanoseconds. */
    static long currentThreadNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }
}
