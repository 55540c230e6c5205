package io.kobot.kochava;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PiiTest {

    @AfterEach
    void randomKeyAgain() {
        Pii.useKey(null);
    }

    @Test
    void masksToAStableShortHash() {
        assertThat(Pii.mask("1234567890")).matches("#[0-9a-f]{12}").isEqualTo(Pii.mask("1234567890"));
        assertThat(Pii.mask("1234567890")).isNotEqualTo(Pii.mask("1234567891"));
        assertThat(Pii.mask(null)).isEqualTo("<none>");
    }

    @Test
    void masksAreHmacSha256UnderTheConfiguredKey() {
        Pii.useKey("key");
        // RFC 4231-style known answer: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
        assertThat(Pii.mask("The quick brown fox jumps over the lazy dog")).isEqualTo("#f7bc83f43053");
        String underA = Pii.mask("1234567890");
        assertThat(Pii.mask("1234567890")).isEqualTo(underA);

        Pii.useKey("another deployment's key");
        assertThat(Pii.mask("1234567890")).isNotEqualTo(underA);
        Pii.useKey("key");
        assertThat(Pii.mask("1234567890")).isEqualTo(underA);
    }

    @Test
    void withoutAKeyEachProcessDrawsItsOwn() throws Exception {
        Pii.useKey(null);
        String first = Pii.mask("1234567890");
        Pii.useKey(" ");
        String second = Pii.mask("1234567890");
        // Two random keys: the masks of one id cannot be linked, nor found by hashing candidate ids.
        assertThat(first).isNotEqualTo(second);
        byte[] sha = java.security.MessageDigest.getInstance("SHA-256")
                .digest("1234567890".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(second).isNotEqualTo("#" + java.util.HexFormat.of().formatHex(sha, 0, 6));
    }

    @Test
    void masksQueryAndFragmentOfUrls() {
        // Not a hexadecimal value: the mask is hexadecimal, and held "42" by chance in about one run of 25.
        assertThat(Pii.maskUrl("https://imp.example/i?fb_user_id=user-42#x"))
                .startsWith("https://imp.example/i?#")
                .doesNotContain("user-42");
        assertThat(Pii.maskUrl("https://imp.example/i")).isEqualTo("https://imp.example/i");
    }

    @Test
    void scrubsSecretsFromText() {
        assertThat(Pii.scrub("unknown user 42 for 42", List.of("42")))
                .isEqualTo("unknown user " + Pii.mask("42") + " for " + Pii.mask("42"));
        assertThat(Pii.scrub(null, List.of("42"))).isNull();
    }
}
