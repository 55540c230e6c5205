package io.kobot.devstack.sample;

/** The contract's interaction types ({@code io.kobot.schema.InteractionType}), by the same names. */
public enum InteractionKind {
    IMPRESSION,
    CLICK,
    EVENT
}
