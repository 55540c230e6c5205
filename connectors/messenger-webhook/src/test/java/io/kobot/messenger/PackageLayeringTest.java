package io.kobot.messenger;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import io.kobot.testing.ModuleLayering;
import org.junit.jupiter.api.Test;

/**
 * The intake's layering: {@code app} wires everything and nothing depends on it; the mapping knows nothing of HTTP,
 * Kafka or configuration parsing; nothing uses Kafka Streams (the intake is a producer only).
 */
class PackageLayeringTest extends ModuleLayering {
    private static final String ROOT = "io.kobot.messenger";

    PackageLayeringTest() {
        super(ROOT);
    }

    @Test
    void theMappingIsFreeOfTransportAndBroker() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".mapping..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        ROOT + ".http..", ROOT + ".publish..", "org.apache.hc..", "org.apache.kafka.clients..")
                .check(classes());
    }

    @Test
    void nothingUsesKafkaStreams() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.kafka.streams..")
                .check(classes());
    }
}
