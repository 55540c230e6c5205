package io.kobot.messenger.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The configuration reference in docs/messenger.md must be exactly what the declarations say. */
class ConfigReferencePageTest {
    private static final Path PAGE = Path.of("..", "..", "docs", "messenger.md");

    @Test
    void pageMatchesTheDeclarations() throws IOException {
        assertThat(ConfigReferencePage.REFERENCE.section(Files.readString(PAGE)))
                .as("docs/messenger.md is stale; regenerate it with: java -jar "
                        + "connectors/messenger-webhook/target/kobot-messenger-webhook.jar config-reference "
                        + "--update docs/messenger.md")
                .isEqualTo(ConfigReferencePage.REFERENCE.markdown());
    }

    @Test
    void everyKeyIsInTheReference() {
        String markdown = ConfigReferencePage.REFERENCE.markdown();
        for (String key : IntakeKeys.CONFIG_DEF.names()) {
            assertThat(markdown).contains("| `" + key + "` |");
        }
        for (String key : PageKeys.CONFIG_DEF.names()) {
            assertThat(markdown).contains("| `messenger.page.<page-id>." + key + "` |");
        }
    }
}
