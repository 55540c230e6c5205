package io.kobot.messenger.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.messenger.config.ConfigReferencePage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessengerWebhookMainTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void configReferencePrintsTheTableOrRewritesItsSectionOfAPage() throws IOException {
        String table = ConfigReferencePage.REFERENCE.markdown();
        assertThat(execute("config-reference")).isEqualTo(MessengerWebhookMain.OK);
        assertThat(out.toString()).isEqualTo(table);

        Path page = dir.resolve("messenger.md");
        Files.writeString(
                page,
                "# Intake\n" + ConfigReferencePage.START_MARKER + "\nstale\n" + ConfigReferencePage.END_MARKER
                        + "\nafter\n");
        assertThat(execute("config-reference", "--update", page.toString())).isEqualTo(MessengerWebhookMain.OK);

        assertThat(Files.readString(page))
                .isEqualTo("# Intake\n" + ConfigReferencePage.START_MARKER + "\n" + table
                        + ConfigReferencePage.END_MARKER + "\nafter\n");
        assertThat(out.toString()).endsWith("Updated the configuration reference in " + page + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void validateConfigPrintsEveryProblemUnderItsCountAndExitsWith2() {
        int exitCode = execute(
                "validate-config", "--set", "bootstrap.servers=nowhere", "--set", "messenger.app-secret=s3cr3t");

        assertThat(exitCode).isEqualTo(MessengerWebhookMain.BAD_CONFIG);
        assertThat(err.toString().lines())
                .contains(
                        "Invalid configuration (4 problems):",
                        "  bootstrap.servers: must be host:port[,host:port…] with ports 1…65535, got 'nowhere'",
                        "  schema.registry.url: is required",
                        "  messenger.verify-token: is required")
                .anySatisfy(line -> assertThat(line).contains("at least one page is required"));
        assertThat(err.toString()).doesNotContain("s3cr3t");
        assertThat(out.toString()).isEmpty();
    }

    private int execute(String... args) {
        return MessengerWebhookMain.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    }
}
