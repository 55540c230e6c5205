package io.kobot.streams.ingest;

import io.kobot.kochava.PingHostAllowlist;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The allowlist's verdicts on tracking URLs, remembered per authority: every ping of a bot names one of a few
 * hosts, and judging one (a URI parse, IDNA, a pattern) costs more than the rest of a record's validation.
 *
 * <p>Sound because the caller has already parsed the URL as an absolute http(s) URI with an authority, and for
 * such a URL {@link PingHostAllowlist#check} depends on nothing but that authority (user info, host, port).
 * Shared by every stream thread; bounded: when {@value #MAX_AUTHORITIES} authorities are remembered (hostile input
 * naming a new host in each record), it forgets them all and starts again.
 */
final class TrackingHostVerdicts {
    static final int MAX_AUTHORITIES = 1024;

    private final PingHostAllowlist allowlist;
    private final Map<String, PingHostAllowlist.Verdict> byAuthority = new ConcurrentHashMap<>();

    TrackingHostVerdicts(PingHostAllowlist allowlist) {
        this.allowlist = allowlist;
    }

    /**
     * @param parsed the URL, parsed as an absolute http(s) URI with a non-empty authority
     * @param url    the URL as the record carries it
     */
    PingHostAllowlist.Verdict of(URI parsed, String url) {
        String authority = parsed.getRawAuthority();
        PingHostAllowlist.Verdict known = byAuthority.get(authority);
        if (known != null) {
            return known;
        }
        PingHostAllowlist.Verdict verdict = allowlist.check(url);
        if (byAuthority.size() >= MAX_AUTHORITIES) {
            byAuthority.clear();
        }
        byAuthority.put(authority, verdict);
        return verdict;
    }

    /** How many authorities it remembers now. */
    int remembered() {
        return byAuthority.size();
    }
}
