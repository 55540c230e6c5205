package io.kobot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {
    private static final ConfigDef DEF = new ConfigDef()
            .define("servers", Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Validators.hostPortList(), Importance.HIGH, "s")
            .define("endpoint", Type.STRING, "https://example.com/x", Validators.httpUrl(), Importance.HIGH, "e")
            .define("count", Type.INT, 5, Validators.atLeast(1), Importance.LOW, "c")
            .define("rate", Type.DOUBLE, 0.0, Validators.atLeast(0), Importance.LOW, "r")
            .define("flag", Type.BOOLEAN, false, Importance.LOW, "f")
            .define("mode", Type.STRING, "a", Validators.oneOf("a", "b"), Importance.LOW, "m")
            .define("secret", Type.PASSWORD, null, Importance.LOW, "p");

    @Test
    void reportsEveryProblemAtOnceWithoutEchoingSecrets() {
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigValues values = ConfigValues.parse(
                DEF,
                Map.of(
                        "endpoint",
                        "ftp://x?token=s3cret",
                        "count",
                        "-3",
                        "rate",
                        "NaN",
                        "flag",
                        "yes",
                        "mode",
                        "c",
                        "secret",
                        "s3cret"),
                problems);

        assertThat(problems)
                .extracting(ConfigProblem::key)
                .containsExactly("servers", "endpoint", "count", "rate", "flag", "mode");
        assertThat(problems)
                .extracting(ConfigProblem::reason)
                .containsExactly(
                        "is required",
                        "must be an absolute http or https URL",
                        "must be at least 1, got -3",
                        "must be a finite number, got NaN",
                        "must be true or false, got 'yes'",
                        "must be one of a, b, got 'c'");
        assertThat(problems.toString()).doesNotContain("s3cret");
        assertThat(values.has("count")).isFalse();
        assertThat(values.getPassword("secret").value()).isEqualTo("s3cret");
    }

    @Test
    void blankTakesTheDefaultAndNumbersMayBeNumbers() {
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigValues values =
                ConfigValues.parse(DEF, Map.of("servers", "a:1, b:2", "count", " ", "rate", 2, "flag", true), problems);

        assertThat(problems).isEmpty();
        assertThat(values.getInt("count")).isEqualTo(5);
        assertThat(values.getDouble("rate")).isEqualTo(2.0);
        assertThat(values.getBoolean("flag")).isTrue();
        assertThat(values.has("secret")).isFalse();
    }

    @Test
    void bootstrapServersMustBeHostPortPairs() {
        for (String bad : List.of("localhost", "broker:", ":9092", "broker:99999", "a:1,,b:2", "broker:port")) {
            List<ConfigProblem> problems = new ArrayList<>();
            ConfigValues.parse(DEF, Map.of("servers", bad), problems);
            assertThat(problems)
                    .as(bad)
                    .singleElement()
                    .extracting(ConfigProblem::key)
                    .isEqualTo("servers");
        }
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigValues.parse(DEF, Map.of("servers", "broker-1.example:9092,[::1]:9093,10.0.0.1:29092"), problems);
        assertThat(problems).isEmpty();
    }

    @Test
    void oneExceptionCarriesEveryProblem() {
        List<ConfigProblem> problems = List.of(new ConfigProblem("a", "is required"), new ConfigProblem("b", "bad"));

        assertThatThrownBy(() -> InvalidConfigurationException.throwIfAny(problems))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
                .hasMessage("Invalid configuration: a: is required; b: bad")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).problems())
                        .isEqualTo(problems));
        InvalidConfigurationException.throwIfAny(List.of());
    }

    @Test
    void everyProblemIsPrintedOneALineUnderItsCount() {
        StringWriter printed = new StringWriter();

        new InvalidConfigurationException(List.of(new ConfigProblem("a", "is required"), new ConfigProblem("b", "bad")))
                .printTo(new PrintWriter(printed));
        new InvalidConfigurationException(List.of(new ConfigProblem("c", "is invalid")))
                .printTo(new PrintWriter(printed));

        assertThat(printed.toString().lines())
                .containsExactly(
                        "Invalid configuration (2 problems):",
                        "  a: is required",
                        "  b: bad",
                        "Invalid configuration (1 problem):",
                        "  c: is invalid");
    }
}
