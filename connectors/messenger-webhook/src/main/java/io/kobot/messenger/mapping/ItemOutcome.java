package io.kobot.messenger.mapping;

/** What became of one webhook item (or, for deliveries, of one delivered message id): the {@code mapping} label. */
public enum ItemOutcome {
    /** Became an IMPRESSION. */
    IMPRESSION("impression"),
    /** Became a CLICK. */
    CLICK("click"),
    /** Became an EVENT. */
    EVENT("event"),
    /** A message the page itself sent ({@code is_echo}): not a user interaction. */
    ECHO("ignored-echo"),
    /** The page has no {@code messenger.page.<id>.*} configuration. */
    UNKNOWN_PAGE("ignored-unknown-page"),
    /** The page does not forward this kind (see {@code messenger.page.<id>.forward}). */
    NOT_FORWARDED("ignored-not-forwarded"),
    /** A kind the intake does not map (reactions, opt-ins, handover, account linking, …). */
    UNSUPPORTED("ignored-unsupported"),
    /** Missing or mistyped fields (no sender, no timestamp, …): not mappable. */
    MALFORMED("malformed");

    private final String label;

    ItemOutcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
