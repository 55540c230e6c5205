package io.kobot.faults;

import io.kobot.devstack.ChildJvm;
import io.kobot.streams.app.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code kobot run} process, as operators start it: a child JVM on this module's test class path (which holds
 * streams-app and its dependencies), a config file, and per-instance {@code --set} overrides. Its output goes to a
 * log file of its own, kept for the report.
 */
final class AppInstance {
    private final String name;
    private final Process process;
    private final Path log;
    private volatile boolean terminated;

    private AppInstance(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static AppInstance start(String name, Path config, Path stateDir, Path logDir) {
        Path log = logDir.resolve(name + ".log");
        List<String> command = ChildJvm.command(
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "run",
                "--config",
                config.toString(),
                "--set",
                "state.dir=" + stateDir,
                "--set",
                "http.port=0");
        try {
            Files.createDirectories(logDir);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new AppInstance(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name, e);
        }
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no drain, no last commit. */
    void kill() {
        process.destroyForcibly();
        awaitExit(30);
    }

    /** SIGTERM, as an orchestrator stops a pod; returns the exit code (-1 if it had to be killed). */
    int terminate() {
        terminated = true;
        process.destroy();
        if (!awaitExit(60)) {
            kill();
            return -1;
        }
        return process.exitValue();
    }

    /** Whether it was stopped with {@link #terminate}: its exit is then not unexpected. */
    boolean terminated() {
        return terminated;
    }

    /** Whether its log has a line containing {@code text}. */
    boolean logContains(String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** The exit code if the process has ended on its own, else null. */
    Integer exitCode() {
        return process.isAlive() ? null : process.exitValue();
    }

    Path log() {
        return log;
    }

    /** The last lines of the log, for assertion messages. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private boolean awaitExit(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
