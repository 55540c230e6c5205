package io.kobot.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kobot.testing.KafkaBrokers.Backend;
import org.junit.jupiter.api.Test;

class KafkaBrokersTest {

    @Test
    void autoTakesAContainerOnlyWhereDockerAnswers() {
        assertThat(KafkaBrokers.choose(null, () -> true)).isEqualTo(Backend.CONTAINER);
        assertThat(KafkaBrokers.choose("auto", () -> false)).isEqualTo(Backend.IN_PROCESS);
        assertThat(KafkaBrokers.choose(" ", () -> false)).isEqualTo(Backend.IN_PROCESS);
    }

    @Test
    void containerRequiredWithoutDockerFailsWithTheReason() {
        assertThat(KafkaBrokers.choose("Container", () -> true)).isEqualTo(Backend.CONTAINER);
        assertThatThrownBy(() -> KafkaBrokers.choose("container", () -> false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Docker API answers")
                .hasMessageContaining("DOCKER_HOST");
    }

    @Test
    void inProcessNeverAsksDocker() {
        assertThat(KafkaBrokers.choose("in-process", () -> {
                    throw new AssertionError("Docker was asked");
                }))
                .isEqualTo(Backend.IN_PROCESS);
    }

    @Test
    void unknownValueIsRejected() {
        assertThatThrownBy(() -> KafkaBrokers.choose("docker", () -> true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kobot.test.kafka=docker");
    }
}
