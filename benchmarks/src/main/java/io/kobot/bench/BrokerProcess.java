package io.kobot.bench;

import io.kobot.devstack.EmbeddedKafkaBroker;
import io.kobot.devstack.TopicAdmin;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The dev stack's {@link EmbeddedKafkaBroker} in a child JVM started from this JVM's own classpath. A separate
 * process, as in production: the benchmark JVM's heap and RSS are then the pipeline's alone, not the broker's too.
 */
final class BrokerProcess implements AutoCloseable {
    private final Process process;
    private final String bootstrapServers;
    private final TopicAdmin topics;

    private BrokerProcess(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.topics = new TopicAdmin(bootstrapServers);
    }

    static BrokerProcess start(Path workDir, String maxHeap) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(workDir.resolve("broker"));
        Path log = dir.resolve("broker.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(
                        java,
                        "-Xmx" + maxHeap,
                        "-cp",
                        System.getProperty("java.class.path"),
                        EmbeddedKafkaBroker.class.getName())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        // An interrupted benchmark must not leave its broker behind.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "broker-stopper"));
        return new BrokerProcess(process, awaitBootstrapServers(process, log));
    }

    /** The child prints its address once ready; anything else on its stdout is Kafka's own chatter. */
    private static String awaitBootstrapServers(Process process, Path log) throws IOException {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(EmbeddedKafkaBroker.READY_LINE_PREFIX)) {
                drainInBackground(out);
                return line.substring(EmbeddedKafkaBroker.READY_LINE_PREFIX.length())
                        .trim();
            }
        }
        throw new IllegalStateException("The broker exited before it was ready; see " + log);
    }

    /** Keeps reading the child's stdout, so that a full pipe never blocks the broker. */
    private static void drainInBackground(BufferedReader out) {
        Thread drainer = new Thread(
                () -> {
                    try {
                        while (out.readLine() != null) {
                            // discarded: the broker logs to stderr, which goes to the log file
                        }
                    } catch (IOException e) {
                        // the child is gone
                    }
                },
                "broker-stdout-drainer");
        drainer.setDaemon(true);
        drainer.start();
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    long pid() {
        return process.pid();
    }

    /** Creates the topic and returns once every partition has a leader, so that clients see all of it. */
    void createTopic(String name, int partitions, Map<String, String> configs) {
        topics.createTopic(name, partitions, configs);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        topics.close();
        process.getOutputStream().close(); // end of input: the child closes its broker and exits
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
