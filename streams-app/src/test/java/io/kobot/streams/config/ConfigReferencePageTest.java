package io.kobot.streams.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The configuration reference in docs/configuration.md must be exactly what {@link ConfigKeys} says. */
class ConfigReferencePageTest {
    private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");

    @Test
    void pageMatchesTheKeyRegistry() throws IOException {
        String reference = Files.readString(REFERENCE);

        assertThat(ConfigReference.section(reference))
                .as("docs/configuration.md is stale; regenerate it with: "
                        + "java -jar streams-app/target/kobot.jar config-reference --update docs/configuration.md")
                .isEqualTo(ConfigReference.markdown());
    }

    @Test
    void everyKeyIsInTheReference() {
        String markdown = ConfigReference.markdown();
        for (ConfigKey key : ConfigKeys.ALL) {
            assertThat(markdown).contains("| `" + key.name() + "` |");
        }
    }
}
