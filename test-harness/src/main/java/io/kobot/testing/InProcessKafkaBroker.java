package io.kobot.testing;

import kafka.server.BrokerServer;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * One combined controller+broker KRaft node running in this JVM through Kafka's own test kit.
 * Its log directories live in a temporary directory that is deleted on close.
 */
final class InProcessKafkaBroker implements KafkaBroker {

    private static final Logger log = LoggerFactory.getLogger(InProcessKafkaBroker.class);

    private final KafkaClusterTestKit cluster;
    private final BrokerServer broker;
    private final String bootstrapServers;
    private final TopicAdmin topics;

    private InProcessKafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.broker = cluster.brokers().values().iterator().next();
        ListenerName listener = ListenerName.normalised(cluster.nodes().brokerListenerName().value());
        this.bootstrapServers = "127.0.0.1:" + broker.boundPort(listener);
        this.topics = new TopicAdmin(bootstrapServers);
    }

    static InProcessKafkaBroker start() {
        long startNs = System.nanoTime();
        TestKitNodes nodes = new TestKitNodes.Builder()
            .setCombined(true)
            .setNumControllerNodes(1)
            .setNumBrokerNodes(1)
            // The kit defaults to the newest, possibly unreleased, metadata version.
            .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
            .build();
        KafkaClusterTestKit cluster = null;
        try {
            cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("listeners", String.format("%s://127.0.0.1:0,%s://127.0.0.1:0",
                    nodes.brokerListenerName().value(), nodes.controllerListenerName().value()))
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                // Single node: internal topics need replication factor 1; one partition each
                // keeps the first consumer group and the first transaction fast.
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                // A restarted broker registers anew only once the controller has expired its old
                // session (9 s by default); 3 s keeps restart() quick with ample slack for heartbeats.
                .setConfigProp("broker.heartbeat.interval.ms", "500")
                .setConfigProp("broker.session.timeout.ms", "3000")
                .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            InProcessKafkaBroker started = new InProcessKafkaBroker(cluster);
            log.info("In-process KRaft broker at {} ready in {} ms", started.bootstrapServers, elapsedMs(startNs));
            return started;
        } catch (Exception e) {
            if (cluster != null) {
                closeQuietly(cluster);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Failed to start the in-process Kafka broker", e);
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        topics.createTopic(name, partitions, configs);
    }

    @Override
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    /**
     * Restarts only the broker half of the node; the controller (and so the metadata quorum) stays
     * up, as with a broker bounce in a real cluster. The test kit rebinds the same port on restart.
     */
    @Override
    public void restart() {
        long startNs = System.nanoTime();
        broker.shutdown();
        broker.startup();
        try {
            cluster.waitForReadyBrokers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while restarting the in-process Kafka broker", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("The in-process Kafka broker did not come back after a restart", e);
        }
        log.info("In-process KRaft broker at {} restarted in {} ms", bootstrapServers, elapsedMs(startNs));
    }

    @Override
    public void close() {
        topics.close();
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the in-process Kafka broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("Failed to stop the in-process Kafka broker cleanly", e);
        }
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        try {
            cluster.close();
        } catch (Exception e) {
            log.warn("Failed to stop a partly started in-process Kafka broker", e);
        }
    }

    private static long elapsedMs(long startNs) {
        return (System.nanoTime() - startNs) / 1_000_000;
    }
}
