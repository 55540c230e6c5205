/**
 * Stage 4: the batching delivery sink with its changelogged outbox, on top of the Kochava client; the design is
 * written down in {@link io.kobot.streams.deliver.KochavaDeliverySink}.
 */
package io.kobot.streams.deliver;
