/**
 * Stage 2: drops copies of an interaction ({@code kochava_app_id} + {@code interaction_id}) within the retention, in
 * a changelogged window store.
 */
package io.kobot.streams.dedup;
