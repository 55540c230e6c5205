/**
 * Stage 3: the IdentityLink table (tombstones delete, the latest {@code updated_at} wins) and the left join that
 * adds a user's linked device identifiers to the engagement.
 */
package io.kobot.streams.enrich;
