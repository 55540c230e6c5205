package io.kobot.kochava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PingHostAllowlistTest {

    private final PingHostAllowlist kochava = PingHostAllowlist.of(PingHostAllowlist.KOCHAVA_HOSTS);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://control.kochava.com/v1/cpi/click?x=1",
                "http://imp.control.kochava.com/track/impression",
                "https://any.depth.of.kochava.com/",
                "https://smart.link/abc",
                "https://sub.smart.link/abc",
                "HTTPS://Control.KOCHAVA.com/x",
                "https://control.kochava.com./x",
                "https://control.kochava.com:8443/x",
                "https://control.kochava.com#frag@evil.example"
            })
    void kochavaHostsAreAllowedByDefault(String url) {
        PingHostAllowlist.Verdict verdict = kochava.check(url);

        assertThat(verdict.allowed()).as(url).isTrue();
        assertThat(verdict.reason()).isNull();
    }

    @Test
    void hostsAreNormalised() {
        assertThat(kochava.check("HTTPS://Control.KOCHAVA.com./x").host()).isEqualTo("control.kochava.com");
        assertThat(kochava.check("https://control.kochava.com:8443/x").asciiAuthority())
                .isEqualTo("control.kochava.com:8443");
    }

    @Test
    void suffixRulesMatchSubdomainsOnlyAndOnLabelBoundaries() {
        PingHostAllowlist rules = PingHostAllowlist.of(List.of("*.example.com", "exact.example.org"));

        assertThat(rules.check("https://a.example.com/").allowed()).isTrue();
        assertThat(rules.check("https://a.b.example.com/").allowed()).isTrue();
        assertThat(rules.check("https://example.com/").allowed()).isFalse();
        assertThat(rules.check("https://evilexample.com/").allowed()).isFalse();
        assertThat(rules.check("https://example.com.evil.net/").allowed()).isFalse();
        assertThat(rules.check("https://exact.example.org/").allowed()).isTrue();
        assertThat(rules.check("https://sub.exact.example.org/").allowed()).isFalse();
        assertThat(kochava.check("https://kochava.com.evil.net/").allowed()).isFalse();
        assertThat(kochava.check("https://notkochava.com/").allowed()).isFalse();
        assertThat(kochava.check("https://smart.link.evil.net/").allowed()).isFalse();
    }

    @Test
    void internationalisedNamesCompareInTheirAsciiForm() {
        PingHostAllowlist rules = PingHostAllowlist.of(List.of("bücher.example", "*.xn--mnchen-3ya.example"));

        PingHostAllowlist.Verdict unicode = rules.check("https://BÜCHER.example/p");
        assertThat(unicode.allowed()).isTrue();
        assertThat(unicode.host()).isEqualTo("xn--bcher-kva.example");
        assertThat(rules.check("https://xn--bcher-kva.example/p").allowed()).isTrue();
        assertThat(rules.check("https://a.münchen.example/p").allowed()).isTrue();
        // A look-alike (Cyrillic 'а' in kochava) is another name.
        assertThat(kochava.check("https://control.kochаva.com/").allowed()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://control.kochava.com@10.0.0.1/",
                "http://control.kochava.com:443@10.0.0.1/",
                "http://10.0.0.1#@control.kochava.com",
                "http://10.0.0.1?@control.kochava.com",
                "http://user@control.kochava.com/",
                "http://127.0.0.1/",
                "http://169.254.169.254/latest/meta-data/",
                "http://2130706433/",
                "http://0x7f.1/",
                "http://[::1]/",
                "http://[::ffff:127.0.0.1]:8080/",
                "http://[fd00::1]/",
                "http://control.kochava.com\\@evil.example/",
                "http://control.kochava.com%2f@evil.example/",
                "http://control%2ekochava.com/",
                "http://control.kochava.com /",
                "http://control.kochava.com\t/",
                "ftp://control.kochava.com/",
                "javascript://control.kochava.com/",
                "//control.kochava.com/x",
                "/relative",
                "http:///nohost",
                "http://:80/",
                "http://a_b.kochava.com/",
                "http://control.kochava.com:99999/",
                "http://evil.example/",
                ""
            })
    void everythingElseIsRefused(String url) {
        PingHostAllowlist.Verdict verdict = kochava.check(url);

        assertThat(verdict.allowed()).as(url).isFalse();
        assertThat(verdict.reason()).isNotBlank();
        assertThat(verdict.host()).isNull();
    }

    @Test
    void ipLiteralsNeverMatchANameRule() {
        assertThat(kochava.check("http://10.0.0.1/").reason())
                .isEqualTo("its host 10.0.0.1 is an IP address, never allowed");
        assertThat(kochava.check("http://[::1]:9/").reason())
                .isEqualTo("its host [::1] is an IP address, never allowed");
        assertThatThrownBy(() -> PingHostAllowlist.of(List.of("10.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PingHostAllowlist.of(List.of("*.0.1"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PingHostAllowlist.of(List.of("[::1]"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedRulesAreRefused() {
        for (String rule : List.of("", "*", "*.", "a.*.com", "ev il.com", "http://a.com", "a..com"))
            assertThatThrownBy(() -> PingHostAllowlist.of(List.of(rule)))
                    .as(rule)
                    .isInstanceOf(IllegalArgumentException.class);
        assertThat(PingHostAllowlist.of(List.of(" LocalHost. ", "*.Kochava.COM"))
                        .rules())
                .containsExactly("localhost", "*.kochava.com");
    }

    @Test
    void configReadsAListOrACommaSeparatedString() {
        assertThat(KochavaClientConfig.defaults().pingAllowedHosts().rules())
                .containsExactlyElementsOf(PingHostAllowlist.KOCHAVA_HOSTS);
        assertThat(KochavaClientConfig.from(java.util.Map.of("kochava.ping.allowed-hosts", "a.example, *.b.example"))
                        .pingAllowedHosts()
                        .rules())
                .containsExactly("a.example", "*.b.example");
        assertThat(KochavaClientConfig.from(java.util.Map.of("kochava.ping.allowed-hosts", List.of("a.example")))
                        .pingAllowedHosts()
                        .rules())
                .containsExactly("a.example");
        assertThatThrownBy(() -> KochavaClientConfig.from(java.util.Map.of("kochava.ping.allowed-hosts", "1.2.3.4")))
                .isInstanceOf(io.kobot.config.InvalidConfigurationException.class)
                .hasMessageContaining("kochava.ping.allowed-hosts");
    }

    /** Each URL judged twice, after others of the same authority: the remembered verdict is the one a fresh list gives. */
    @Test
    void aRememberedVerdictIsTheVerdictOfTheUrlItself() {
        List<String> urls = List.of(
                "https://imp.control.kochava.com/track/impression?id=1",
                "https://imp.control.kochava.com/track/click?id=2#frag",
                "HTTPS://IMP.CONTROL.KOCHAVA.COM/x",
                "http://x.kochava.com:8443/a",
                "http://x.kochava.com:8443/b?c=d",
                "https://smart.link./s",
                "https://kochava.com/",
                "https://evil.example/track",
                "https://evil.example/other",
                "https://a.kochava.com@10.0.0.1/",
                "https://a.kochava.com@10.0.0.1/again",
                "https://10.0.0.1/",
                "https://[::1]/",
                "https://x.kochava.com:99999/",
                "https://xn--caf-dma.kochava.com/",
                "https://café.kochava.com/p",
                "https://bad_host.kochava.com/",
                "https://control.kochava.com\\@evil.example/");
        for (int round = 0; round < 2; round++) {
            for (String url : urls) {
                PingHostAllowlist fresh = PingHostAllowlist.of(PingHostAllowlist.KOCHAVA_HOSTS);
                assertThat(kochava.check(url)).as(url).isEqualTo(fresh.check(url));
            }
        }
    }

    @Test
    void forgetsEverythingRatherThanGrowPastItsBound() {
        for (int i = 0; i < PingHostAllowlist.MAX_REMEMBERED * 3; i++) {
            assertThat(kochava.check("https://h" + i + ".example/").allowed()).isFalse();
            assertThat(kochava.remembered()).isLessThanOrEqualTo(PingHostAllowlist.MAX_REMEMBERED);
        }
        assertThat(kochava.check("https://control.kochava.com/track").allowed()).isTrue();
    }
}
