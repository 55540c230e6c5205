package io.kobot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU time of the benchmark JVM and of the broker's, from /proc, so that each phase can say which process the
 * two cores went to. Linux only; elsewhere it reports nothing.
 */
final class CpuUsage {
    /** Linux reports utime and stime in clock ticks of 1/100 s on every platform Java runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private final long brokerPid;
    private final long startNanos;
    private final long benchTicks;
    private final long brokerTicks;
    private final long compileMillis;

    private CpuUsage(long brokerPid) {
        this.brokerPid = brokerPid;
        this.startNanos = System.nanoTime();
        this.benchTicks = ticks(ProcessHandle.current().pid());
        this.brokerTicks = ticks(brokerPid);
        this.compileMillis = JitActivity.compileMillis();
    }

    static CpuUsage start(long brokerPid) {
        return new CpuUsage(brokerPid);
    }

    /**
     * Cores used on average since {@link #start}: by the benchmark JVM (pipeline included), and by the broker; and
     * the benchmark JVM's time spent compiling, part of its CPU.
     */
    String sinceStart() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long bench = ticks(ProcessHandle.current().pid());
        long broker = ticks(brokerPid);
        if (bench < 0 || broker < 0) {
            return "";
        }
        return String.format(
                Locale.ROOT,
                "CPU: benchmark JVM %.2f cores, broker %.2f cores; JIT compiling %.1f s",
                (bench - benchTicks) / TICKS_PER_SECOND / seconds,
                (broker - brokerTicks) / TICKS_PER_SECOND / seconds,
                (JitActivity.compileMillis() - compileMillis) / 1000.0);
    }

    /** utime + stime of a process, in clock ticks; -1 where /proc does not tell. */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
