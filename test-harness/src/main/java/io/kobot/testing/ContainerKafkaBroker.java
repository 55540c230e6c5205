package io.kobot.testing;

import io.kobot.devstack.TopicAdmin;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Kafka in a Docker container. Testcontainers already sets replication factor 1 for the internal
 * topics and no initial rebalance delay; this only turns automatic topic creation off.
 *
 * <p>The image is {@value #DEFAULT_IMAGE} unless system property {@value KafkaBrokers#IMAGE_PROPERTY} names
 * another one laid out like it (CI builds one locally, where no registry is reachable).
 */
final class ContainerKafkaBroker implements KafkaBroker {

    private static final Logger log = LoggerFactory.getLogger(ContainerKafkaBroker.class);
    static final String DEFAULT_IMAGE = "apache/kafka:4.3.1";

    /**
     * Testcontainers' own command waits until its start script exists ({@code -f}) and runs it; the script is
     * copied in after the container starts, and podman makes it executable only once written, so a container that
     * looks in between fails with "Permission denied" (exit 126, seen in CI under load). Waiting for {@code -x}
     * closes that window; the script's path is Testcontainers' (1.21).
     */
    private static final String START_SCRIPT = "/tmp/testcontainers_start.sh";

    private static final String[] COMMAND_WAITING_FOR_AN_EXECUTABLE_SCRIPT = {
        "sh", "-c", "while [ ! -x " + START_SCRIPT + " ]; do sleep 0.1; done; " + START_SCRIPT
    };

    private final KafkaContainer container;
    private final TopicAdmin topics;

    private ContainerKafkaBroker(KafkaContainer container) {
        this.container = container;
        this.topics = new TopicAdmin(container.getBootstrapServers());
    }

    static ContainerKafkaBroker start() {
        long startNs = System.nanoTime();
        KafkaContainer container = new KafkaContainer(imageName())
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withCommand(COMMAND_WAITING_FOR_AN_EXECUTABLE_SCRIPT);
        try {
            container.start();
        } catch (RuntimeException e) {
            container.close();
            throw e;
        }
        log.info(
                "Kafka container at {} ready in {} ms",
                container.getBootstrapServers(),
                (System.nanoTime() - startNs) / 1_000_000);
        return new ContainerKafkaBroker(container);
    }

    static String image() {
        return System.getProperty(KafkaBrokers.IMAGE_PROPERTY, DEFAULT_IMAGE);
    }

    private static DockerImageName imageName() {
        DockerImageName name = DockerImageName.parse(image());
        return name.getUnversionedPart().equals("apache/kafka") ? name : name.asCompatibleSubstituteFor("apache/kafka");
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        topics.createTopic(name, partitions, configs);
    }

    @Override
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /** A restarted container gets a new host port, so clients could not find it again. */
    @Override
    public void restart() {
        throw new UnsupportedOperationException("A Kafka container cannot be restarted on the same address; "
                + "restart is only supported by the in-process broker");
    }

    @Override
    public void close() {
        topics.close();
        container.close();
    }
}
