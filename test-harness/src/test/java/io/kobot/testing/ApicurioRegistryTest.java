package io.kobot.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApicurioRegistryTest {

    @Test
    void explainsHowToGetTheDistributionWhenItIsMissing() {
        String previous = System.getProperty("apicurio.home");
        System.setProperty("apicurio.home", "target/no-such-apicurio");
        try {
            assertThatThrownBy(ApicurioRegistry::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("run through Maven: mvn verify");
        } finally {
            if (previous == null) {
                System.clearProperty("apicurio.home");
            } else {
                System.setProperty("apicurio.home", previous);
            }
        }
    }
}
