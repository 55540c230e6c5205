package io.kobot.streams.enrich;

import io.kobot.schema.IdentityLink;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What {@link LatestLinkProcessor} remembers of a user's link: the {@code updated_at} applied, and a digest of what
 * was last queued for Kochava (its app and device ids), or null when nothing was (forwarding off, or a link stored
 * before forwarding existed). A digest rather than the link: the store stays small and holds no identifiers.
 *
 * <p>Stored as the {@code updated_at} (8 bytes, big-endian: how a {@code Long} was stored before forwarding, so old
 * entries still read) followed by the 32-byte digest when there is one.
 */
public record LinkVersion(long updatedAt, byte[] forwarded) {
    private static final int DIGEST_BYTES = 32;

    /** SHA-256 of the link's app id and its device ids sorted by name, each length-prefixed. */
    static byte[] digest(IdentityLink link) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
        update(sha, link.getKochavaAppId());
        for (Map.Entry<String, String> id : new TreeMap<>(link.getDeviceIds()).entrySet()) {
            update(sha, id.getKey());
            update(sha, id.getValue());
        }
        return sha.digest();
    }

    private static void update(MessageDigest sha, String text) {
        if (text == null) {
            sha.update(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }

    static Serde<LinkVersion> serde() {
        return Serdes.serdeFrom(new VersionSerializer(), new VersionDeserializer());
    }

    private static final class VersionSerializer implements Serializer<LinkVersion> {
        @Override
        public byte[] serialize(String topic, LinkVersion version) {
            if (version == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(8 + (version.forwarded() == null ? 0 : DIGEST_BYTES));
            buffer.putLong(version.updatedAt());
            if (version.forwarded() != null) {
                buffer.put(version.forwarded());
            }
            return buffer.array();
        }
    }

    private static final class VersionDeserializer implements Deserializer<LinkVersion> {
        @Override
        public LinkVersion deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(data);
            long updatedAt = buffer.getLong();
            byte[] forwarded = null;
            if (buffer.remaining() == DIGEST_BYTES) {
                forwarded = new byte[DIGEST_BYTES];
                buffer.get(forwarded);
            }
            return new LinkVersion(updatedAt, forwarded);
        }
    }
}
