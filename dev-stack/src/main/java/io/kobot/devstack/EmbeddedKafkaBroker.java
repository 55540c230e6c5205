package io.kobot.devstack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import kafka.server.BrokerServer;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A one-node KRaft Kafka (combined controller and broker) inside this JVM, on a free loopback port, with its data
 * in a temporary directory removed on close. Kafka's own test kit formats the storage and waits for readiness the
 * way Kafka's tests do, in about two seconds.
 *
 * <p>The one embedded broker of the project: the demo runs it in-process, the test harness wraps it, and the
 * benchmark runs it in a child JVM through {@link #main} so that the broker's CPU and memory are measured apart.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    /** The line {@link #main} prints once the broker is ready, followed by its bootstrap address. */
    public static final String READY_LINE_PREFIX = "kobot-embedded-kafka bootstrap.servers=";

    private final KafkaClusterTestKit cluster;
    private final BrokerServer broker;
    private final String bootstrapServers;

    private EmbeddedKafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.broker = cluster.brokers().values().iterator().next();
        ListenerName listener =
                ListenerName.normalised(cluster.nodes().brokerListenerName().value());
        this.bootstrapServers = "127.0.0.1:" + broker.boundPort(listener);
    }

    /** Starts a broker with the defaults below. */
    public static EmbeddedKafkaBroker start() {
        return start(Map.of());
    }

    /** Starts a broker with the defaults below, overridden or extended by {@code brokerConfig}. */
    public static EmbeddedKafkaBroker start(Map<String, String> brokerConfig) {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumControllerNodes(1)
                .setNumBrokerNodes(1)
                // The kit's default is the newest metadata version, which may not be released yet.
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp(
                        "listeners",
                        String.format(
                                "%s://127.0.0.1:0,%s://127.0.0.1:0",
                                nodes.brokerListenerName().value(),
                                nodes.controllerListenerName().value()))
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                // One node: internal topics can have only one replica; one partition each keeps the first
                // consumer group and the first transaction fast.
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                // A killed instance's open transaction holds its partitions' committed offsets from the next owner
                // until the broker aborts it: transaction.timeout.ms after it began, found by a check every 10 s
                // by default; every second, as docs/operations.md advises for failover within 15 s.
                .setConfigProp("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")
                // A restarted broker registers anew only once the controller has expired its old session (9 s by
                // default); 3 s keeps restart() quick with ample slack for heartbeats.
                .setConfigProp("broker.heartbeat.interval.ms", "500")
                .setConfigProp("broker.session.timeout.ms", "3000");
        brokerConfig.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = null;
        PrintStream stdout = System.out;
        try {
            cluster = builder.build();
            // Kafka's storage formatter reports to System.out, which is the caller's own output (the demo's).
            System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafkaBroker(cluster);
        } catch (Exception e) {
            closeQuietly(cluster, e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Failed to start the embedded Kafka broker", e);
        } finally {
            System.setOut(stdout);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Restarts only the broker half of the node; the controller (and so the metadata quorum) stays up, as with a
     * broker bounce in a real cluster. The test kit rebinds the same port on restart.
     */
    public void restart() {
        stopBroker();
        startBroker();
    }

    /** Stops the broker half only, as {@link #restart()} does, and leaves it down: an outage, for fault tests. */
    public void stopBroker() {
        broker.shutdown();
    }

    /** Starts the broker half again after {@link #stopBroker()}, on the same port, and waits until it is ready. */
    public void startBroker() {
        broker.startup();
        try {
            cluster.waitForReadyBrokers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while restarting the embedded Kafka broker", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("The embedded Kafka broker did not come back after a restart", e);
        }
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the embedded Kafka broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("Failed to stop the embedded Kafka broker cleanly", e);
        }
    }

    private static void closeQuietly(KafkaClusterTestKit cluster, Exception cause) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * Runs a broker in this process until its standard input closes (the parent ended or closed the pipe) or the
     * process is stopped, printing {@link #READY_LINE_PREFIX} and the bootstrap address once ready. Arguments are
     * broker settings as {@code key=value}.
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> config = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Broker settings are key=value, got: " + arg);
            }
            config.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        EmbeddedKafkaBroker broker = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-stopper"));
        System.out.println(READY_LINE_PREFIX + broker.bootstrapServers());
        System.out.flush();
        while (System.in.read() >= 0) {
            // Wait for end of input: the parent's way to say stop, and what happens when the parent dies.
        }
        System.exit(0);
    }
}
