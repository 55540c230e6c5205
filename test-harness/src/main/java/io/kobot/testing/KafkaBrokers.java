package io.kobot.testing;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Starts {@link KafkaBroker}s, in a container or in this JVM as system property {@value #BROKER_PROPERTY} says:
 * {@code auto} (the default: a container where a Docker API answers, else in-process), {@code container} (a
 * container, and a failure when no Docker API answers: CI sets it so that the container path cannot be skipped
 * silently) or {@code in-process}. The container's image is {@value #IMAGE_PROPERTY} (see {@link
 * ContainerKafkaBroker}).
 */
public final class KafkaBrokers {

    public static final String BROKER_PROPERTY = "kobot.test.kafka";
    public static final String IMAGE_PROPERTY = "kobot.test.kafka.image";

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokers.class);

    /** Where a broker runs. */
    enum Backend {
        CONTAINER,
        IN_PROCESS
    }

    private KafkaBrokers() {}

    /** Starts a new broker on each call, where {@value #BROKER_PROPERTY} says. The caller owns and closes it. */
    public static KafkaBroker start() {
        return Choice.BACKEND == Backend.CONTAINER ? ContainerKafkaBroker.start() : InProcessKafkaBroker.start();
    }

    /**
     * The backend for a {@value #BROKER_PROPERTY} value (null is {@code auto}).
     *
     * @throws IllegalStateException when a container is required and no Docker API answers
     * @throws IllegalArgumentException for an unknown value
     */
    static Backend choose(String mode, BooleanSupplier dockerAvailable) {
        String value = mode == null || mode.isBlank() ? "auto" : mode.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "in-process":
                return Backend.IN_PROCESS;
            case "container":
                if (!dockerAvailable.getAsBoolean()) {
                    throw new IllegalStateException(BROKER_PROPERTY + "=container but no Docker API answers (set "
                            + "DOCKER_HOST to the engine's socket, e.g. unix:///run/podman/podman.sock, and "
                            + "TESTCONTAINERS_RYUK_DISABLED=true where Ryuk's image cannot be pulled)");
                }
                return Backend.CONTAINER;
            case "auto":
                return dockerAvailable.getAsBoolean() ? Backend.CONTAINER : Backend.IN_PROCESS;
            default:
                throw new IllegalArgumentException(
                        BROKER_PROPERTY + "=" + mode + ": expected auto, container or in-process");
        }
    }

    /** Decided once per JVM: every start() after the first then costs nothing extra. */
    private static final class Choice {
        static final Backend BACKEND = decide();

        private static Backend decide() {
            long startNs = System.nanoTime();
            String mode = System.getProperty(BROKER_PROPERTY);
            Backend backend = choose(mode, () -> DockerClientFactory.instance().isDockerAvailable());
            log.info(
                    "{}={}: Kafka brokers run {} (decided in {} ms)",
                    BROKER_PROPERTY,
                    mode == null ? "auto" : mode,
                    backend == Backend.CONTAINER ? "in containers of " + ContainerKafkaBroker.image() : "in-process",
                    (System.nanoTime() - startNs) / 1_000_000);
            return backend;
        }
    }
}
