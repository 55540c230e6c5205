package io.kobot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What else the machine is doing, since the figures depend on it. */
final class Machine {
    private Machine() {}

    /** Maven JVMs running now, besides any that is an ancestor of this process (a build running the smoke test). */
    static long otherMavenBuilds() {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains("plexus.classworlds"))
                .filter(process -> !isAncestor(process))
                .count();
    }

    private static boolean isAncestor(ProcessHandle candidate) {
        for (ProcessHandle p = ProcessHandle.current();
                p != null;
                p = p.parent().orElse(null)) {
            if (p.pid() == candidate.pid()) {
                return true;
            }
        }
        return false;
    }

    /** The 1-minute load average, or -1 where /proc does not tell. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
