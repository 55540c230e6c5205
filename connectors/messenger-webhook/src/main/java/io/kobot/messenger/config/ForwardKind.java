package io.kobot.messenger.config;

import java.util.Locale;

/** What a page may forward, as written in {@code messenger.page.<id>.forward}. */
public enum ForwardKind {
    /** Message deliveries, as IMPRESSIONs (one per delivered message id). */
    IMPRESSIONS,
    /** Referrals and postbacks that carry a referral, as CLICKs. */
    CLICKS,
    /** Messages the user sent (text, attachments), as EVENTs. */
    MESSAGES,
    /** Quick replies the user tapped, as EVENTs. */
    QUICK_REPLIES,
    /** Postbacks (buttons, Get Started, persistent menu), as EVENTs. */
    POSTBACKS,
    /** Read receipts, as EVENTs. */
    READS,
    /** Items of the standby channel (another app owns the thread), mapped like the primary channel's. */
    STANDBY;

    /** The name in the configuration: lower case, {@code -} for {@code _}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ForwardKind fromConfigName(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
