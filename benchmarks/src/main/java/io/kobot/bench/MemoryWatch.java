package io.kobot.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The peak heap of this JVM, from two sources: the heap in use just before each collection (where it peaks),
 * reported by GC notifications, and a sample every 10 ms in case no collection ran near the peak.
 */
final class MemoryWatch implements AutoCloseable {
    private final AtomicLong peakUsed = new AtomicLong();
    /** GC notifications cover every pool; metaspace and the code cache are not heap. */
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toSet());

    private final Thread sampler;
    private volatile boolean running = true;

    MemoryWatch() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc)
                    .addNotificationListener(
                            (notification, handback) -> {
                                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                                        notification.getType())) {
                                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                                            (CompositeData) notification.getUserData());
                                    record(info.getGcInfo().getMemoryUsageBeforeGc().entrySet().stream()
                                            .filter(pool -> heapPools.contains(pool.getKey()))
                                            .mapToLong(pool -> pool.getValue().getUsed())
                                            .sum());
                                }
                            },
                            null,
                            null);
        }
        sampler = new Thread(
                () -> {
                    while (running) {
                        record(ManagementFactory.getMemoryMXBean()
                                .getHeapMemoryUsage()
                                .getUsed());
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "memory-watch");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void record(long used) {
        peakUsed.accumulateAndGet(used, Math::max);
    }

    long peakHeapBytes() {
        return peakUsed.get();
    }

    static long maxHeapBytes() {
        return Runtime.getRuntime().maxMemory();
    }

    /**
     * The heap in use after full collections (three, {@code System.gc()} with G1 being a full one unless told
     * otherwise), for a before/after difference: what is still reachable.
     */
    static long settledHeapBytes() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The peak resident set size of a process (VmHWM), in bytes; -1 where /proc does not tell. */
    static long peakRssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.interrupt();
        sampler.join();
    }
}
