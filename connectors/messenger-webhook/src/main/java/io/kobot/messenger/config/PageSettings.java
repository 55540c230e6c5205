package io.kobot.messenger.config;

import java.util.Objects;
import java.util.Set;

/**
 * How one Facebook page's webhook items become interactions: its Kochava app, its tracking URLs, what it forwards
 * and whether message content may leave in {@code event_data}.
 *
 * @param impressionUrl null when the page forwards no impressions
 * @param clickUrl      null when the page forwards no clicks
 */
public record PageSettings(
        String pageId,
        String kochavaAppId,
        String impressionUrl,
        String clickUrl,
        Set<ForwardKind> forwarded,
        boolean includeMessageContent) {
    public PageSettings {
        Objects.requireNonNull(pageId, "pageId");
        Objects.requireNonNull(kochavaAppId, "kochavaAppId");
        forwarded = Set.copyOf(forwarded);
    }

    public boolean forwards(ForwardKind kind) {
        return forwarded.contains(kind);
    }
}
