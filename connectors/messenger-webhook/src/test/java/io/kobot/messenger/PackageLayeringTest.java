package io.kobot.messenger;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.kobot.testing.PackageLayering;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The intake's layering: {@code app} wires everything and nothing depends on it; the mapping knows nothing of HTTP,
 * Kafka or configuration parsing; nothing uses Kafka Streams (the intake is a producer only).
 */
class PackageLayeringTest {
    private static final String ROOT = "io.kobot.messenger";

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = PackageLayering.mainClasses(ROOT);
    }

    @Test
    void packagesHaveNoCycles() {
        PackageLayering.noPackageCycles(ROOT).check(classes);
    }

    @Test
    void nothingDependsOnTheWiring() {
        PackageLayering.nothingDependsOnTheWiring(ROOT).check(classes);
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
                .check(classes);
    }

    @Test
    void nothingUsesKafkaStreams() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.kafka.streams..")
                .check(classes);
    }
}
