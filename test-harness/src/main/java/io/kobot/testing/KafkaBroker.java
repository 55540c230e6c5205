package io.kobot.testing;

import java.util.Map;

/**
 * A real Kafka broker for integration tests: one node, plaintext, replication factor 1 everywhere,
 * automatic topic creation off (tests create their topics explicitly).
 */
public interface KafkaBroker extends AutoCloseable {

    String bootstrapServers();

    /** Creates the topic and waits until it is usable (metadata propagated). */
    void createTopic(String name, int partitions, Map<String, String> configs);

    default void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /** bootstrap.servers plus anything a client needs; a fresh mutable map. */
    Map<String, Object> clientProperties();

    /**
     * Stops the broker and starts it again on the same address with the same data, for fault tests.
     * Clients in flight see the disconnect and reconnect. Only a broker the test owns should be
     * restarted (see {@link KafkaBrokers#start()}), never the shared one.
     *
     * @throws UnsupportedOperationException where the broker cannot keep its address across a restart
     */
    void restart();

    @Override
    void close();
}
