package io.kobot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class DurationsTest {
    private static final ConfigDef DEF = new ConfigDef()
            .define(
                    "iso",
                    Type.STRING,
                    "PT24H",
                    Durations.atLeast(Duration.ofMillis(1)),
                    Importance.LOW,
                    "was ISO-8601")
            .define("millis", Type.STRING, "PT0.2S", Durations.atLeastMillis(Duration.ZERO), Importance.LOW, "was ms");

    @Test
    void acceptsIsoAndSuffixedNumbersEverywhere() {
        assertThat(Durations.parse("PT30S", false)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse(" pt24h ", false)).isEqualTo(Duration.ofHours(24));
        assertThat(Durations.parse("P1DT1H", false)).isEqualTo(Duration.ofHours(25));
        assertThat(Durations.parse("500ms", false)).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("30s", false)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m", false)).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("24 h", false)).isEqualTo(Duration.ofHours(24));
        assertThat(Durations.parse("10S", false)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aPlainNumberIsMillisecondsOnlyWhereItWasBefore() {
        assertThat(Durations.parse("250", true)).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse(250, true)).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> Durations.parse("250", false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ISO-8601");
    }

    @Test
    void refusesWhatIsNoDuration() {
        for (String text : List.of("soon", "a day", "10 seconds", "-5s", "1.5s", "PT", "99999999999999999999h")) {
            assertThatThrownBy(() -> Durations.parse(text, true))
                    .as(text)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("must be an ISO-8601 duration such as PT30S");
        }
    }

    @Test
    void readsTheDeclaredFormOfEachKeyAndChecksTheMinimum() {
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigValues values = ConfigValues.parse(DEF, Map.of("iso", "90s", "millis", 1500), problems);

        assertThat(problems).isEmpty();
        assertThat(values.getDuration("iso")).isEqualTo(Duration.ofSeconds(90));
        assertThat(values.getDuration("millis")).isEqualTo(Duration.ofMillis(1500));

        ConfigValues defaults = ConfigValues.parse(DEF, Map.of(), problems);
        assertThat(defaults.getDuration("iso")).isEqualTo(Duration.ofHours(24));
        assertThat(defaults.getDuration("millis")).isEqualTo(Duration.ofMillis(200));

        ConfigValues.parse(DEF, Map.of("iso", "PT0S", "millis", "PT-1S"), problems);
        assertThat(problems)
                .containsExactly(
                        new ConfigProblem("iso", "must be at least PT0.001S, got PT0S"),
                        new ConfigProblem("millis", "must be at least PT0S, got PT-1S"));
    }

    @Test
    void theReferenceDocumentsOneForm() {
        assertThat(ConfigDefs.describeType(DEF.configKeys().get("millis"))).isEqualTo("ISO-8601 duration ≥ PT0S");
        assertThat(ConfigDefs.describeDefault(DEF.configKeys().get("millis"))).isEqualTo("PT0.2S");
    }
}
