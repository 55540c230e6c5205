package io.kobot.kochava;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PiiTest {

    @Test
    void masksToAStableShortHash() {
        assertThat(Pii.mask("1234567890")).matches("#[0-9a-f]{8}").isEqualTo(Pii.mask("1234567890"));
        assertThat(Pii.mask("1234567890")).isNotEqualTo(Pii.mask("1234567891"));
        assertThat(Pii.mask(null)).isEqualTo("<none>");
    }

    @Test
    void masksQueryAndFragmentOfUrls() {
        assertThat(Pii.maskUrl("https://imp.example/i?fb_user_id=42#x"))
                .startsWith("https://imp.example/i?#")
                .doesNotContain("42");
        assertThat(Pii.maskUrl("https://imp.example/i")).isEqualTo("https://imp.example/i");
    }

    @Test
    void scrubsSecretsFromText() {
        assertThat(Pii.scrub("unknown user 42 for 42", List.of("42")))
                .isEqualTo("unknown user " + Pii.mask("42") + " for " + Pii.mask("42"));
        assertThat(Pii.scrub(null, List.of("42"))).isNull();
    }
}
