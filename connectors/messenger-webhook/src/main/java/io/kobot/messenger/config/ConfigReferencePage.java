package io.kobot.messenger.config;

import io.kobot.config.ConfigReference;

/**
 * The intake's configuration reference in docs/messenger.md, generated from {@link IntakeKeys#CONFIG_DEF} and
 * {@link PageKeys#CONFIG_DEF} between {@value #START_MARKER} and {@value #END_MARKER} ({@code java -jar
 * kobot-messenger-webhook.jar config-reference --update docs/messenger.md}); a test checks the page agrees.
 */
public final class ConfigReferencePage {
    public static final String START_MARKER = "<!-- messenger-config-table:start -->";
    public static final String END_MARKER = "<!-- messenger-config-table:end -->";

    public static final ConfigReference REFERENCE = ConfigReference.between(START_MARKER, END_MARKER)
            .keys(IntakeKeys.CONFIG_DEF)
            .keys(PageKeys.PREFIX + "<page-id>.", PageKeys.CONFIG_DEF)
            .withNotes("One set of `" + PageKeys.PREFIX
                    + "<page-id>.*` keys per Facebook page (its numeric id); the pages are those that have "
                    + "keys. Durations are ISO-8601 (`PT10S`). Precedence: `--config` file, then environment "
                    + "variables, then `--set key=value`. `kafka.*` keys pass through to the producer and the "
                    + "admin client, prefix removed (security settings); `acks`, `enable.idempotence`, the "
                    + "partitioner, the serializers and `max.block.ms` are the intake's own. Any value may be "
                    + "`${file:/path/file.properties:key}` or `${env:NAME}`; `password` values are never printed.");

    private ConfigReferencePage() {}
}
