package io.kobot.streams.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The configuration reference in docs/configuration.md must be exactly what the declarations say. */
class ConfigReferencePageTest {
    private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");

    @Test
    void pageMatchesTheKeyRegistry() throws IOException {
        String reference = Files.readString(REFERENCE);

        assertThat(ConfigReferencePage.REFERENCE.section(reference))
                .as("docs/configuration.md is stale; regenerate it with: "
                        + "java -jar streams-app/target/kobot.jar config-reference --update docs/configuration.md")
                .isEqualTo(ConfigReferencePage.REFERENCE.markdown());
    }

    @Test
    void everyKeyIsInTheReference() {
        String markdown = ConfigReferencePage.REFERENCE.markdown();
        for (String key : PipelineConfig.CONFIG_DEF.names()) {
            assertThat(markdown).contains("| `" + key + "` |");
        }
        assertThat(markdown)
                .contains(
                        "| `delivery.retry.max-backoff` | ISO-8601 duration ≥ PT0.001S | `PT30S` |",
                        "| `delivery.batch.max-events` | int ≥ 1 | `500` |",
                        "| `schema.registry.basic.auth.user.info` | password | (none) |",
                        "| `bootstrap.servers` | host:port list | (required) |");
    }
}
