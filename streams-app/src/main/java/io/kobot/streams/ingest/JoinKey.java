package io.kobot.streams.ingest;

import io.kobot.schema.BotInteraction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The key an interaction must carry where it is deduplicated and joined: its {@code fb_user_id} (the
 * IdentityLink table's key), or its {@code interaction_id} when it has no user, so that every copy of an
 * interaction lands in the same partition either way. UTF-8, as Kafka's StringSerializer writes it.
 */
public final class JoinKey {
    private JoinKey() {}

    public static byte[] of(BotInteraction interaction) {
        String user = interaction.getFbUserId();
        return (user != null ? user : interaction.getInteractionId()).getBytes(StandardCharsets.UTF_8);
    }

    public static boolean matches(byte[] key, BotInteraction interaction) {
        return key != null && Arrays.equals(key, of(interaction));
    }
}
