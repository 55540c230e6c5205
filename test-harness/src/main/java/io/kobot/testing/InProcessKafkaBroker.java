package io.kobot.testing;

import io.kobot.devstack.EmbeddedKafkaBroker;
import io.kobot.devstack.TopicAdmin;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The dev stack's {@link EmbeddedKafkaBroker} as a {@link KafkaBroker} of the test harness. */
final class InProcessKafkaBroker implements KafkaBroker {

    private static final Logger log = LoggerFactory.getLogger(InProcessKafkaBroker.class);

    private final EmbeddedKafkaBroker broker;
    private final TopicAdmin topics;

    private InProcessKafkaBroker(EmbeddedKafkaBroker broker) {
        this.broker = broker;
        this.topics = new TopicAdmin(broker.bootstrapServers());
    }

    static InProcessKafkaBroker start() {
        long startNs = System.nanoTime();
        InProcessKafkaBroker started = new InProcessKafkaBroker(EmbeddedKafkaBroker.start());
        log.info("In-process KRaft broker at {} ready in {} ms", started.bootstrapServers(), elapsedMs(startNs));
        return started;
    }

    @Override
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        topics.createTopic(name, partitions, configs);
    }

    @Override
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return props;
    }

    @Override
    public void restart() {
        long startNs = System.nanoTime();
        broker.restart();
        log.info("In-process KRaft broker at {} restarted in {} ms", bootstrapServers(), elapsedMs(startNs));
    }

    @Override
    public void close() {
        topics.close();
        broker.close();
    }

    private static long elapsedMs(long startNs) {
        return (System.nanoTime() - startNs) / 1_000_000;
    }
}
