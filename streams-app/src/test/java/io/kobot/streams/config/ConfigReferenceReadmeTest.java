package io.kobot.streams.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's configuration reference must be exactly what {@link ConfigKeys} says. */
class ConfigReferenceReadmeTest {
    private static final Path README = Path.of("..", "README.md");

    @Test
    void readmeTableMatchesTheKeyRegistry() throws IOException {
        String readme = Files.readString(README);

        assertThat(ConfigReference.section(readme))
                .as("README.md's configuration table is stale; regenerate it with: "
                        + "java -jar streams-app/target/kobot.jar config-reference --update README.md")
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
