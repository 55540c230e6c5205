package io.kobot.messenger.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.messenger.http.WebhookSignature.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final String SECRET = "8f1c0e3b5a7d9e2f4a6c8e0b2d4f6a8c";
    private static final byte[] BODY =
            "{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"messaging\":[]}]}".getBytes(StandardCharsets.UTF_8);

    private final WebhookSignature signature = new WebhookSignature(SECRET);

    /** The signature computed independently of the class under test, as Meta documents it. */
    private static String metaSignature(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void acceptsTheSignatureMetaComputes() throws Exception {
        assertThat(signature.verify(BODY, metaSignature(SECRET, BODY))).isEqualTo(Verdict.VALID);
        assertThat(signature.sign(BODY)).isEqualTo(metaSignature(SECRET, BODY));
    }

    @Test
    void acceptsUpperCaseHex() throws Exception {
        String upper = "sha256=" + metaSignature(SECRET, BODY).substring(7).toUpperCase();
        assertThat(signature.verify(BODY, upper)).isEqualTo(Verdict.VALID);
    }

    @Test
    void refusesASignatureMadeWithAnotherSecret() throws Exception {
        assertThat(signature.verify(BODY, metaSignature("another-secret", BODY)))
                .isEqualTo(Verdict.MISMATCH);
    }

    @Test
    void refusesAMissingSignature() {
        assertThat(signature.verify(BODY, null)).isEqualTo(Verdict.MISSING);
        assertThat(signature.verify(BODY, " ")).isEqualTo(Verdict.MISSING);
    }

    @Test
    void refusesAnotherAlgorithmsPrefix() throws Exception {
        String sha256Hex = metaSignature(SECRET, BODY).substring("sha256=".length());
        Mac sha1 = Mac.getInstance("HmacSHA1");
        sha1.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));

        // The legacy X-Hub-Signature form, and the right digest under the wrong name.
        assertThat(signature.verify(BODY, "sha1=" + HexFormat.of().formatHex(sha1.doFinal(BODY))))
                .isEqualTo(Verdict.WRONG_ALGORITHM);
        assertThat(signature.verify(BODY, "sha1=" + sha256Hex)).isEqualTo(Verdict.WRONG_ALGORITHM);
        assertThat(signature.verify(BODY, sha256Hex)).isEqualTo(Verdict.WRONG_ALGORITHM);
    }

    @Test
    void refusesABodyChangedByOneByte() throws Exception {
        String signed = metaSignature(SECRET, BODY);
        for (int i = 0; i < BODY.length; i++) {
            byte[] changed = BODY.clone();
            changed[i] ^= 0x01;
            assertThat(signature.verify(changed, signed)).as("byte %d", i).isEqualTo(Verdict.MISMATCH);
        }
        byte[] longer = new byte[BODY.length + 1];
        System.arraycopy(BODY, 0, longer, 0, BODY.length);
        assertThat(signature.verify(longer, signed)).isEqualTo(Verdict.MISMATCH);
    }

    @Test
    void refusesMalformedHex() throws Exception {
        String signed = metaSignature(SECRET, BODY);
        assertThat(signature.verify(BODY, signed.substring(0, signed.length() - 2)))
                .isEqualTo(Verdict.MISMATCH);
        assertThat(signature.verify(BODY, signed.substring(0, signed.length() - 1) + "z"))
                .isEqualTo(Verdict.MISMATCH);
        assertThat(signature.verify(BODY, "sha256=")).isEqualTo(Verdict.MISMATCH);
    }
}
