package io.kobot.messenger.publish;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the interactions topic can be reached: describes it every {@code interval}, for readiness. A webhook
 * answered 503 is retried by Meta, so readiness only tells a load balancer where publishing currently works.
 */
public final class BrokerProbe implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerProbe.class);

    private final Admin admin;
    private final String topic;
    private final Duration timeout;
    private final ScheduledExecutorService scheduler;
    private volatile String problem = "not checked yet";

    public BrokerProbe(String bootstrapServers, Map<String, String> kafkaProperties, String topic, Duration interval) {
        Map<String, Object> props = new HashMap<>();
        // Only the settings an admin client takes (security ones): the rest are the producer's.
        kafkaProperties.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                props.put(key, value);
            }
        });
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kobot-messenger-webhook-probe");
        this.admin = Admin.create(props);
        this.topic = topic;
        this.timeout = interval;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kobot-broker-probe");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        String before = problem;
        try {
            admin.describeTopics(
                            java.util.List.of(topic), new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis()))
                    .allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            problem = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            problem = "topic " + topic + " unreachable: " + cause.getClass().getSimpleName();
        }
        if (before != null && problem == null) {
            log.info("Topic {} reachable", topic);
        } else if (problem != null && (before == null || !before.equals(problem))) {
            log.warn("Not ready: {}", problem);
        }
    }

    /** Why the topic cannot be reached, or null while it can. */
    public String problem() {
        return problem;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
