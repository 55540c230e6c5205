package io.kobot.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The JIT compilers' work in this JVM. A phase measured while the compilers are still busy with the code it runs
 * pays for them on the same two cores (in a 100,000-record phase from a cold JVM they used more CPU than the stream
 * thread): a running job is long past that, so the benchmark warms up first and says how much compiling each phase
 * still carried.
 */
final class JitActivity {
    private static final CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();

    private JitActivity() {}

    /** Time spent compiling so far, summed over the compiler threads; -1 when the JVM does not tell. */
    static long compileMillis() {
        return COMPILER != null && COMPILER.isCompilationTimeMonitoringSupported()
                ? COMPILER.getTotalCompilationTime()
                : -1;
    }

    /**
     * Waits until the compilers spent at most {@code quietMillis} in a {@code window}, or {@code cap} passed.
     *
     * @return how long it waited
     */
    static Duration awaitQuiet(Duration window, long quietMillis, Duration cap) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + cap.toNanos();
        long before = compileMillis();
        if (before < 0) {
            return Duration.ZERO;
        }
        while (System.nanoTime() < deadline) {
            Thread.sleep(window.toMillis());
            long now = compileMillis();
            if (now - before <= quietMillis) {
                break;
            }
            before = now;
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
