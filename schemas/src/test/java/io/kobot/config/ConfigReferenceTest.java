package io.kobot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReferenceTest {
    private static final String START = "<!-- table:start -->";
    private static final String END = "<!-- table:end -->";

    private static final ConfigDef OWN = new ConfigDef()
            .define(
                    "bootstrap.servers",
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Validators.hostPortList(),
                    Importance.HIGH,
                    "Kafka brokers.")
            .define(
                    "dedup.retention",
                    Type.STRING,
                    "PT24H",
                    Durations.atLeast(Duration.ofSeconds(1)),
                    Importance.MEDIUM,
                    "How long | copies are dropped.")
            .define("user.info", Type.PASSWORD, null, Importance.LOW, "user:password (secret).");
    private static final ConfigDef PAGE = new ConfigDef()
            .define("include-message-content", Type.BOOLEAN, false, Importance.MEDIUM, "Whether text leaves.");

    private static final ConfigReference REFERENCE = ConfigReference.between(START, END)
            .keys(OWN)
            .keys("messenger.page.<page-id>.", PAGE)
            .withNotes("Durations are ISO-8601.\n\nPrecedence: file, environment, flags.");

    @TempDir
    Path dir;

    @Test
    void listsEveryKeyInOrderWithTypeDefaultVariableAndMeaningThenTheNotes() {
        assertThat(REFERENCE.markdown()).isEqualTo("""
                        | key | type | default | environment variable | meaning |
                        | --- | --- | --- | --- | --- |
                        | `bootstrap.servers` | host:port list | (required) | `KOBOT_BOOTSTRAP_SERVERS` | Kafka brokers. |
                        | `dedup.retention` | ISO-8601 duration ≥ PT1S | `PT24H` | `KOBOT_DEDUP_RETENTION` | How long \\| copies are dropped. |
                        | `user.info` | password | (none) | `KOBOT_USER_INFO` | user:password (secret). |
                        | `messenger.page.<page-id>.include-message-content` | boolean | `false` | `KOBOT_MESSENGER_PAGE_<PAGE_ID>_INCLUDE__MESSAGE__CONTENT` | Whether text leaves. |

                        Durations are ISO-8601.

                        Precedence: file, environment, flags.
                        """);
    }

    @Test
    void placeholdersStayOneWordInVariableNames() {
        assertThat(ConfigReference.envName("messenger.page.<page-id>.click-url"))
                .isEqualTo("KOBOT_MESSENGER_PAGE_<PAGE_ID>_CLICK__URL");
        assertThat(ConfigReference.envName("topics.identity-links")).isEqualTo("KOBOT_TOPICS_IDENTITY__LINKS");
    }

    @Test
    void updateRewritesOnlyTheSectionBetweenTheMarkers() {
        String page = "# Title\n\nIntro.\n\n" + START + "\nstale table\n" + END + "\n\nAfter.\n";

        String updated = REFERENCE.update(page);

        assertThat(updated)
                .isEqualTo("# Title\n\nIntro.\n\n" + START + "\n" + REFERENCE.markdown() + END + "\n\nAfter.\n");
        assertThat(REFERENCE.section(page)).isEqualTo("stale table\n");
        assertThat(REFERENCE.section(updated)).isEqualTo(REFERENCE.markdown());
        assertThat(REFERENCE.update(updated)).isEqualTo(updated);
    }

    @Test
    void aPageWithoutBothMarkersInOrderIsRefused() {
        assertThatThrownBy(() -> REFERENCE.update("no markers"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(START);
        assertThatThrownBy(() -> REFERENCE.section(END + "\n" + START + "\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> REFERENCE.section(START + END)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void printsTheSectionOrUpdatesAPageAndSaysSo() throws IOException {
        StringWriter printed = new StringWriter();
        REFERENCE.printOrUpdate(null, new PrintWriter(printed));
        assertThat(printed.toString()).isEqualTo(REFERENCE.markdown());

        Path page = dir.resolve("page.md");
        Files.writeString(page, "before\n" + START + "\nold\n" + END + "\nafter\n");
        StringWriter said = new StringWriter();
        REFERENCE.printOrUpdate(page, new PrintWriter(said));

        assertThat(Files.readString(page))
                .isEqualTo("before\n" + START + "\n" + REFERENCE.markdown() + END + "\nafter\n");
        assertThat(said.toString())
                .isEqualTo("Updated the configuration reference in " + page + System.lineSeparator());
    }
}
