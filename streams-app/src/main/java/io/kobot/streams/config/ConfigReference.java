package io.kobot.streams.config;

import io.kobot.config.ConfigDefs;
import io.kobot.config.RawConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The configuration reference (docs/configuration.md), generated from the declarations composed in {@link PipelineConfig#CONFIG_DEF}: a Markdown section kept
 * between {@value #START_MARKER} and {@value #END_MARKER}, written by {@code java -jar kobot.jar config-reference
 * --update docs/configuration.md} and checked by a test.
 */
public final class ConfigReference {
    public static final String START_MARKER = "<!-- config-table:start -->";
    public static final String END_MARKER = "<!-- config-table:end -->";

    private ConfigReference() {}

    /** The generated section, markers excluded. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| key | type | default | environment variable | meaning |\n");
        out.append("| --- | --- | --- | --- | --- |\n");
        for (ConfigDef.ConfigKey key : PipelineConfig.CONFIG_DEF.configKeys().values()) {
            out.append("| `")
                    .append(key.name)
                    .append("` | ")
                    .append(ConfigDefs.describeType(key))
                    .append(" | ")
                    .append(defaultText(key))
                    .append(" | `")
                    .append(RawConfiguration.envNameOf(key.name))
                    .append("` | ")
                    .append(key.documentation.replace("|", "\\|"))
                    .append(" |\n");
        }
        out.append("\nDurations are ISO-8601 durations: `PT0.05S`, `PT30S`, `PT10M`, `PT24H`.\n");
        out.append("\nPrecedence: properties file (`--config`), then environment variables (`")
                .append(RawConfiguration.ENV_PREFIX)
                .append("` + the key in upper case, `.` as `_`, `-` as `__`), then ")
                .append("`--set key=value` flags. Pass-through keys: `kafka.*` goes to Kafka Streams and its clients ")
                .append("with the prefix removed (`kafka.security.protocol`, `kafka.sasl.*`, `kafka.ssl.*`, ")
                .append(
                        "`kafka.producer.*`, `kafka.consumer.*`, `kafka.admin.*`). Any other key is refused as unknown, ")
                .append("naming the nearest key when it looks like a typo. The `kochava.*` and `delivery.*` keys are ")
                .append("the Kochava client's and the delivery sink's, shared with the Kafka Connect sink. Any value ")
                .append("may be `${file:/path/file.properties:key}` or `${env:NAME}` (Kafka's config providers). ")
                .append("Values of `password` keys and of `kafka.*` keys Kafka declares `PASSWORD` are never printed ")
                .append("(`kafka.*` keys Kafka does not declare fall back to a name rule: `passw`, `secret`, `token`, ")
                .append("`credential`, `passphrase`, `key`, …); credentials inside URLs (`user:pass@`, `?token=`…) ")
                .append("are masked everywhere.\n");
        return out.toString();
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

    /** The section currently between the markers of {@code document}, as {@link #update} would write it. */
    public static String section(String document) {
        int start = document.indexOf(START_MARKER);
        int end = document.indexOf(END_MARKER);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("the document has no " + START_MARKER + " … " + END_MARKER + " section");
        }
        return document.substring(start + START_MARKER.length() + 1, end);
    }

    public static void updateFile(Path file) throws IOException {
        String document = Files.readString(file, StandardCharsets.UTF_8);
        Files.writeString(file, update(document), StandardCharsets.UTF_8);
    }

    private static String defaultText(ConfigDef.ConfigKey key) {
        String text = ConfigDefs.describeDefault(key);
        return text.startsWith("(") ? text : "`" + text + "`";
    }
}
