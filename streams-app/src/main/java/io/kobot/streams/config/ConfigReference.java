package io.kobot.streams.config;

import io.kobot.kochava.KochavaClientConfig;
import io.kobot.streams.deliver.DeliverySettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The configuration reference (docs/configuration.md), generated from {@link ConfigKeys}: a Markdown section kept
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
        for (ConfigKey key : ConfigKeys.ALL) {
            out.append("| `")
                    .append(key.name())
                    .append("` | ")
                    .append(key.type().description())
                    .append(" | ")
                    .append(defaultText(key))
                    .append(" | `")
                    .append(ConfigSources.envNameOf(key.name()))
                    .append("` | ")
                    .append(key.doc().replace("|", "\\|"))
                    .append(" |\n");
        }
        out.append(
                        "\nDelivery to Kochava (`kochava.*`, `delivery.*`; read by the Kochava client and the delivery sink, ")
                .append("shared with the Kafka Connect sink):\n\n");
        out.append("| key | default | environment variable | meaning |\n");
        out.append("| --- | --- | --- | --- |\n");
        for (KochavaClientConfig.KeyDoc key : KochavaClientConfig.keys()) {
            deliveryRow(out, key.name(), key.defaultValue(), key.doc());
        }
        for (DeliverySettings.Key key : DeliverySettings.keys()) {
            deliveryRow(out, key.name(), key.defaultValue(), key.doc());
        }
        out.append("\nPrecedence: properties file (`--config`), then environment variables (`")
                .append(ConfigSources.ENV_PREFIX)
                .append("` + the key in upper case, `.` as `_`, `-` as `__`), then ")
                .append("`--set key=value` flags. Pass-through keys: `kafka.*` goes to Kafka Streams and its clients ")
                .append("with the prefix removed (`kafka.security.protocol`, `kafka.sasl.*`, `kafka.ssl.*`, ")
                .append("`kafka.producer.*`, `kafka.consumer.*`, `kafka.admin.*`); `kochava.*` and `delivery.*` go ")
                .append("unchanged to the Kochava client and the delivery sink, which validate them. Any value may be ")
                .append("`${file:/path/file.properties:key}` or `${env:NAME}` (Kafka's config providers). Values of ")
                .append(
                        "`password` keys and of `kafka.*` keys Kafka declares `PASSWORD` are never printed (keys no one ")
                .append("declares fall back to a name rule: `passw`, `secret`, `token`, `credential`, `passphrase`, ")
                .append("`key`, …); credentials inside URLs (`user:pass@`, `?token=`…) are masked everywhere.\n");
        return out.toString();
    }

    private static void deliveryRow(StringBuilder out, String name, String defaultValue, String doc) {
        out.append("| `")
                .append(name)
                .append("` | `")
                .append(defaultValue)
                .append("` | `")
                .append(ConfigSources.envNameOf(name))
                .append("` | ")
                .append(doc.replace("|", "\\|"))
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

    private static String defaultText(ConfigKey key) {
        if (key.required()) {
            return "(required)";
        }
        return key.defaultValue() == null ? "(none)" : "`" + key.defaultValue() + "`";
    }
}
