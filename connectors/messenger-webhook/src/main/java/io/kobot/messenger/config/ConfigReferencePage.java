package io.kobot.messenger.config;

import io.kobot.config.ConfigDefs;
import io.kobot.config.RawConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The intake's configuration reference in docs/messenger.md, generated from {@link IntakeKeys#CONFIG_DEF} and
 * {@link PageKeys#CONFIG_DEF} between {@value #START_MARKER} and {@value #END_MARKER} ({@code java -jar
 * kobot-messenger-webhook.jar config-reference --update docs/messenger.md}); a test checks the page agrees.
 * streams-app's generator covers the pipeline's keys only, and this module does not depend on streams-app.
 */
public final class ConfigReferencePage {
    public static final String START_MARKER = "<!-- messenger-config-table:start -->";
    public static final String END_MARKER = "<!-- messenger-config-table:end -->";

    private ConfigReferencePage() {}

    /** The generated section, markers excluded. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| key | type | default | environment variable | meaning |\n");
        out.append("| --- | --- | --- | --- | --- |\n");
        for (ConfigDef.ConfigKey key : IntakeKeys.CONFIG_DEF.configKeys().values()) {
            row(out, key.name, key);
        }
        for (ConfigDef.ConfigKey key : PageKeys.CONFIG_DEF.configKeys().values()) {
            row(out, PageKeys.PREFIX + "<page-id>." + key.name, key);
        }
        out.append("\nOne set of `")
                .append(PageKeys.PREFIX)
                .append("<page-id>.*` keys per Facebook page (its numeric id); the pages are those that have ")
                .append("keys. Durations are ISO-8601 (`PT10S`). Precedence: `--config` file, then environment ")
                .append("variables, then `--set key=value`. `kafka.*` keys pass through to the producer and the ")
                .append("admin client, prefix removed (security settings); `acks`, `enable.idempotence`, the ")
                .append("partitioner, the serializers and `max.block.ms` are the intake's own. Any value may be ")
                .append("`${file:/path/file.properties:key}` or `${env:NAME}`; `password` values are never printed.\n");
        return out.toString();
    }

    private static void row(StringBuilder out, String name, ConfigDef.ConfigKey key) {
        String defaultText = ConfigDefs.describeDefault(key);
        out.append("| `")
                .append(name)
                .append("` | ")
                .append(ConfigDefs.describeType(key))
                .append(" | ")
                .append(defaultText.startsWith("(") ? defaultText : "`" + defaultText + "`")
                .append(" | `")
                .append(RawConfiguration.envNameOf(name).replace("<PAGE__ID>", "<PAGE_ID>"))
                .append("` | ")
                .append(key.documentation.replace("|", "\\|"))
                .append(" |\n");
    }

    /** {@code document} with its section between the markers replaced by {@link #markdown()}. */
    public static String update(String document) {
        int start = document.indexOf(START_MARKER);
        int end = document.indexOf(END_MARKER);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("the document has no " + START_MARKER + " … " + END_MARKER + " section");
        }
        return document.substring(0, start + START_MARKER.length()) + "\n" + markdown() + document.substring(end);
    }

    /** The section currently between the markers of {@code document}. */
    public static String section(String document) {
        int start = document.indexOf(START_MARKER);
        int end = document.indexOf(END_MARKER);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("the document has no " + START_MARKER + " … " + END_MARKER + " section");
        }
        return document.substring(start + START_MARKER.length() + 1, end);
    }

    public static void updateFile(Path file) throws IOException {
        Files.writeString(file, update(Files.readString(file, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }
}
