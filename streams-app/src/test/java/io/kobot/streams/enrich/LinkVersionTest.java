package io.kobot.streams.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.schema.IdentityLink;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class LinkVersionTest {
    private final Serde<LinkVersion> serde = LinkVersion.serde();

    @Test
    void aVersionStoredAsALongBeforeForwardingExistedStillReads() {
        byte[] legacy = Serdes.Long().serializer().serialize("t", 1_234L);

        LinkVersion read = serde.deserializer().deserialize("t", legacy);

        assertThat(read.updatedAt()).isEqualTo(1_234L);
        assertThat(read.forwarded()).isNull();
    }

    @Test
    void roundTripsWithAndWithoutADigest() {
        byte[] digest = LinkVersion.digest(link("app", Map.of("adid", "A")));
        LinkVersion with = new LinkVersion(5L, digest);
        LinkVersion without = new LinkVersion(6L, null);

        byte[] bytes = serde.serializer().serialize("t", with);
        LinkVersion read = serde.deserializer().deserialize("t", bytes);

        assertThat(bytes).hasSize(8 + 32);
        assertThat(ByteBuffer.wrap(bytes).getLong()).isEqualTo(5L);
        assertThat(read.updatedAt()).isEqualTo(5L);
        assertThat(read.forwarded()).isEqualTo(digest);
        assertThat(serde.serializer().serialize("t", without)).hasSize(8);
        assertThat(serde.deserializer()
                        .deserialize("t", serde.serializer().serialize("t", without))
                        .forwarded())
                .isNull();
    }

    @Test
    void theDigestFollowsAppAndDeviceIdsButNotTheirOrderOrTheTime() {
        Map<String, String> ordered = new TreeMap<>(Map.of("adid", "A", "idfa", "I"));
        Map<String, String> other = new HashMap<>(Map.of("idfa", "I", "adid", "A"));
        byte[] base = LinkVersion.digest(link(null, ordered));

        assertThat(LinkVersion.digest(link(null, other))).isEqualTo(base);
        assertThat(LinkVersion.digest(IdentityLink.newBuilder(link(null, other))
                        .setUpdatedAt(Instant.EPOCH.plusSeconds(99))
                        .build()))
                .isEqualTo(base);
        assertThat(LinkVersion.digest(link("app", ordered))).isNotEqualTo(base);
        assertThat(LinkVersion.digest(link(null, Map.of("adid", "A", "idfa", "J"))))
                .isNotEqualTo(base);
        // Length prefixes: moving a character from a name to its value changes the digest.
        assertThat(LinkVersion.digest(link(null, Map.of("ab", "c"))))
                .isNotEqualTo(LinkVersion.digest(link(null, Map.of("a", "bc"))));
    }

    private static IdentityLink link(String app, Map<String, String> deviceIds) {
        return IdentityLink.newBuilder()
                .setFbUserId("u-1")
                .setDeviceIds(new HashMap<>(deviceIds))
                .setUpdatedAt(Instant.EPOCH)
                .setKochavaAppId(app)
                .build();
    }
}
