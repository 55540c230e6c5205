/**
 * The intake's configuration, declared once with Kafka's {@code ConfigDef} ({@link io.kobot.messenger.config.IntakeKeys},
 * and {@link io.kobot.messenger.config.PageKeys} for each page's {@code messenger.page.<page-id>.*} keys), read and
 * validated like the pipeline's, and the generated reference in docs/messenger.md.
 */
package io.kobot.messenger.config;
