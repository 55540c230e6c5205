package io.kobot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealInfrastructureExtension.class)
class RealInfrastructureExtensionIT {

    private static KafkaBroker brokerBeforeAll;
    private static ApicurioRegistry registryBeforeAll;

    private final KafkaBroker brokerInConstructor;

    RealInfrastructureExtensionIT(KafkaBroker kafka) {
        this.brokerInConstructor = kafka;
    }

    @BeforeAll
    static void resolvesLifecycleParameters(KafkaBroker kafka, ApicurioRegistry registry) {
        brokerBeforeAll = kafka;
        registryBeforeAll = registry;
    }

    @Test
    void sharesOneBrokerAcrossConstructorLifecycleAndTestMethods(KafkaBroker kafka) {
        assertThat(kafka).isSameAs(brokerBeforeAll).isSameAs(brokerInConstructor);
        kafka.createTopic("extension-it", 1);
    }

    @Test
    void sharesOneRegistry(ApicurioRegistry registry) {
        assertThat(registry).isSameAs(registryBeforeAll);
    }
}
