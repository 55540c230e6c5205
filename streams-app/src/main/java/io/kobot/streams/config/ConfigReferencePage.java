package io.kobot.streams.config;

import io.kobot.config.ConfigReference;
import io.kobot.config.RawConfiguration;

/**
 * The pipeline's configuration reference in docs/configuration.md, generated from the declarations composed in
 * {@link PipelineConfig#CONFIG_DEF} between {@value #START_MARKER} and {@value #END_MARKER} ({@code java -jar
 * kobot.jar config-reference --update docs/configuration.md}); a test checks the page agrees.
 */
public final class ConfigReferencePage {
    public static final String START_MARKER = "<!-- config-table:start -->";
    public static final String END_MARKER = "<!-- config-table:end -->";

    public static final ConfigReference REFERENCE = ConfigReference.between(START_MARKER, END_MARKER)
            .keys(PipelineConfig.CONFIG_DEF)
            .withNotes("Durations are ISO-8601 durations: `PT0.05S`, `PT30S`, `PT10M`, `PT24H`.\n"
                    + "\nPrecedence: properties file (`--config`), then environment variables (`"
                    + RawConfiguration.ENV_PREFIX
                    + "` + the key in upper case, `.` as `_`, `-` as `__`), then "
                    + "`--set key=value` flags. Pass-through keys: `kafka.*` goes to Kafka Streams and its clients "
                    + "with the prefix removed (`kafka.security.protocol`, `kafka.sasl.*`, `kafka.ssl.*`, "
                    + "`kafka.producer.*`, `kafka.consumer.*`, `kafka.admin.*`). Any other key is refused as unknown, "
                    + "naming the nearest key when it looks like a typo. The `kochava.*` and `delivery.*` keys are "
                    + "the Kochava client's and the delivery sink's, shared with the Kafka Connect sink. Any value "
                    + "may be `${file:/path/file.properties:key}` or `${env:NAME}` (Kafka's config providers). "
                    + "Values of `password` keys and of `kafka.*` keys Kafka declares `PASSWORD` are never printed "
                    + "(`kafka.*` keys Kafka does not declare fall back to a name rule: `passw`, `secret`, `token`, "
                    + "`credential`, `passphrase`, `key`, …); credentials inside URLs (`user:pass@`, `?token=`…) "
                    + "are masked everywhere.");

    private ConfigReferencePage() {}
}
