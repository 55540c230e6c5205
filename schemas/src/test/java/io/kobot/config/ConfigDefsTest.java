package io.kobot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.junit.jupiter.api.Test;

class ConfigDefsTest {
    private static final ConfigDef CLIENT = new ConfigDef()
            .define("delivery.request-timeout", Type.STRING, "PT10S", Importance.LOW, "t")
            .define("delivery.max-in-flight", Type.INT, 256, Validators.atLeast(1), Importance.LOW, "m");
    private static final ConfigDef OWN = new ConfigDef()
            .define("topics.interactions", Type.STRING, "bot.interactions", Importance.LOW, "i")
            .define("user.info", Type.PASSWORD, null, Importance.LOW, "p");

    @Test
    void composesDeclarationsInOrderAndRefusesAKeyDeclaredTwice() {
        ConfigDef composed = ConfigDefs.compose(OWN, CLIENT);

        assertThat(composed.configKeys().keySet())
                .containsExactly(
                        "topics.interactions", "user.info", "delivery.request-timeout", "delivery.max-in-flight");
        assertThat(composed.configKeys().get("delivery.max-in-flight"))
                .isSameAs(CLIENT.configKeys().get("delivery.max-in-flight"));
        assertThatThrownBy(() -> ConfigDefs.compose(CLIENT, CLIENT)).isInstanceOf(IllegalStateException.class);
        assertThat(ConfigDefs.without(CLIENT, "delivery.request-timeout").names())
                .containsExactly("delivery.max-in-flight");
    }

    @Test
    void secretsAreThePasswordKeys() {
        assertThat(ConfigDefs.isSecret(OWN, "user.info")).isTrue();
        assertThat(ConfigDefs.isSecret(OWN, "topics.interactions")).isFalse();
        assertThat(ConfigDefs.isSecret(OWN, "undeclared.password")).isFalse();
    }

    @Test
    void unknownKeysAreReportedWithTheNearestDeclaredKey() {
        ConfigDef def = ConfigDefs.compose(OWN, CLIENT);

        List<ConfigProblem> problems = ConfigDefs.unknownKeys(
                def,
                List.of(
                        "delivery.request-timout",
                        "topcs.interactions",
                        "delivery.max_in_flight",
                        "kafak.security.protocol",
                        "colour",
                        "kafka.security.protocol",
                        "topics.interactions"),
                List.of("kafka."),
                List.of());

        assertThat(problems)
                .containsExactly(
                        new ConfigProblem(
                                "delivery.request-timout", "unknown key; did you mean delivery.request-timeout?"),
                        new ConfigProblem("topcs.interactions", "unknown key; did you mean topics.interactions?"),
                        new ConfigProblem(
                                "delivery.max_in_flight", "unknown key; did you mean delivery.max-in-flight?"),
                        new ConfigProblem(
                                "kafak.security.protocol", "unknown key; did you mean kafka.security.protocol?"),
                        new ConfigProblem(
                                "colour", "unknown key (see the configuration reference; passed through: kafka.*)"));
    }

    @Test
    void onlyNamesInScopeAreLookedAt() {
        List<ConfigProblem> problems = ConfigDefs.unknownKeys(
                CLIENT,
                List.of("connector.class", "tasks.max", "delivery.max-inflight"),
                List.of(),
                List.of("delivery."));

        assertThat(problems)
                .containsExactly(new ConfigProblem(
                        "delivery.max-inflight", "unknown key; did you mean delivery.max-in-flight?"));
    }

    @Test
    void editDistance() {
        assertThat(ConfigDefs.levenshtein("kitten", "sitting", 10)).isEqualTo(3);
        assertThat(ConfigDefs.levenshtein("abc", "abc", 3)).isZero();
        assertThat(ConfigDefs.levenshtein("abc", "xyzabc", 3)).isEqualTo(3);
        assertThat(ConfigDefs.levenshtein("delivery.linger", "topics.create", 3))
                .isEqualTo(3);
    }
}
