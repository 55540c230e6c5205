package io.kobot.streams.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.kochava.PingHostAllowlist;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackingHostVerdictsTest {
    private final PingHostAllowlist allowlist = PingHostAllowlist.of(PingHostAllowlist.KOCHAVA_HOSTS);
    private final TrackingHostVerdicts verdicts = new TrackingHostVerdicts(allowlist);

    /** Each URL is judged twice (the second time from memory), after others with the same authority. */
    @Test
    void givesTheAllowlistsOwnVerdictForEveryUrl() throws Exception {
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
                "https://bad_host.kochava.com/");
        for (int round = 0; round < 2; round++) {
            for (String url : urls) {
                assertThat(verdicts.of(new URI(url.trim()), url)).as(url).isEqualTo(allowlist.check(url));
            }
        }
    }

    @Test
    void forgetsEverythingRatherThanGrowPastItsBound() throws Exception {
        for (int i = 0; i < TrackingHostVerdicts.MAX_AUTHORITIES * 3; i++) {
            String url = "https://h" + i + ".example/";
            assertThat(verdicts.of(new URI(url), url).allowed()).isFalse();
            assertThat(verdicts.remembered()).isLessThanOrEqualTo(TrackingHostVerdicts.MAX_AUTHORITIES);
        }
        String allowed = "https://control.kochava.com/track";
        assertThat(verdicts.of(new URI(allowed), allowed).allowed()).isTrue();
    }
}
