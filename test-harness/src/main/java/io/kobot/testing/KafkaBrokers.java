package io.kobot.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/** Starts {@link KafkaBroker}s: in a container where Docker runs, else in this JVM. */
public final class KafkaBrokers {

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokers.class);

    private KafkaBrokers() {}

    /**
     * Starts a new broker on each call: Testcontainers Kafka (apache/kafka:4.3.1 image) when
     * Docker is available, else an in-process KRaft broker. The caller owns and closes it.
     */
    public static KafkaBroker start() {
        return DockerCheck.AVAILABLE ? ContainerKafkaBroker.start() : InProcessKafkaBroker.start();
    }

    /** Asks Docker once per JVM: every start() after the first then costs nothing extra. */
    private static final class DockerCheck {
        static final boolean AVAILABLE = check();

        private static boolean check() {
            long startNs = System.nanoTime();
            boolean available = DockerClientFactory.instance().isDockerAvailable();
            log.info(
                    "Docker {} (checked in {} ms): Kafka brokers run {}",
                    available ? "available" : "not available",
                    (System.nanoTime() - startNs) / 1_000_000,
                    available ? "in containers" : "in-process");
            return available;
        }
    }
}
