package io.kobot.kochava;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The hosts a tracking URL may name ({@code kochava.ping.allowed-hosts}), so that a record cannot aim pings at an
 * arbitrary server. A rule is a host name ({@code control.kochava.com}, that name only) or {@code *.} and a name
 * ({@code *.kochava.com}, any subdomain of it, not the name itself).
 *
 * <p>A URL is allowed when it is an absolute http(s) URL without user info whose host, normalised (lower case,
 * internationalised names in their ASCII form, no trailing dot), matches a rule. IP literals never match: rules
 * are names whose last label has a letter, and a host whose last label is numeric is taken for an address. The
 * host is the one a URI parser finds, which is the one a request goes to ({@code http://a.kochava.com@10.0.0.1/}
 * is 10.0.0.1, and refused); backslashes, control characters, percent-encoded and malformed hosts are refused.
 * Any port is allowed: the host must be Kochava's anyway.
 *
 * <p>Verdicts are remembered per URL authority (every ping of a bot names one of a few hosts, and judging one, with
 * IDNA, costs more than the rest of a record's validation); bounded: at {@value #MAX_REMEMBERED} authorities (input
 * naming a new host in each record) it forgets them all and starts again. Safe to share between threads.
 */
public final class PingHostAllowlist {

    /** Kochava's tracking hosts: its API and impression hosts and SmartLinks. */
    public static final List<String> KOCHAVA_HOSTS =
            List.of("control.kochava.com", "imp.control.kochava.com", "*.kochava.com", "smart.link", "*.smart.link");

    static final int MAX_REMEMBERED = 1024;

    private static final String WILDCARD = "*.";
    private static final Pattern LDH_NAME =
            Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private final Set<String> exact;
    private final List<String> suffixes;
    private final List<String> rules;
    private final Map<String, Verdict> byAuthority = new ConcurrentHashMap<>();

    private PingHostAllowlist(Set<String> exact, List<String> suffixes, List<String> rules) {
        this.exact = exact;
        this.suffixes = suffixes;
        this.rules = rules;
    }

    /**
     * @throws IllegalArgumentException naming the first rule that is neither a host name nor {@code *.} and one
     */
    public static PingHostAllowlist of(List<String> rules) {
        List<String> exact = new ArrayList<>();
        List<String> suffixes = new ArrayList<>();
        List<String> normalisedRules = new ArrayList<>();
        for (String rule : rules) {
            String text = rule.trim();
            boolean wildcard = text.startsWith(WILDCARD);
            String name = normaliseName(wildcard ? text.substring(WILDCARD.length()) : text);
            if (name == null || isNumeric(lastLabel(name)))
                throw new IllegalArgumentException("'" + rule + "' is neither a host name nor *.<host name>");
            (wildcard ? suffixes : exact).add(wildcard ? "." + name : name);
            normalisedRules.add(wildcard ? WILDCARD + name : name);
        }
        return new PingHostAllowlist(Set.copyOf(exact), List.copyOf(suffixes), List.copyOf(normalisedRules));
    }

    /** The rules, normalised. */
    public List<String> rules() {
        return rules;
    }

    /** Whether a ping may go to {@code url}; {@link Verdict#reason()} says why not. */
    public Verdict check(String url) {
        URI uri;
        try {
            uri = Host.parse(url);
        } catch (IllegalArgumentException e) {
            return Verdict.refused(e.getMessage());
        }
        // Past the parse, the verdict depends on the authority alone (user info is refused by the parse).
        String authority = uri.getRawAuthority();
        Verdict known = byAuthority.get(authority);
        if (known != null) return known;
        Verdict verdict = judge(uri);
        if (byAuthority.size() >= MAX_REMEMBERED) byAuthority.clear();
        byAuthority.put(authority, verdict);
        return verdict;
    }

    /** How many authorities it remembers now. */
    int remembered() {
        return byAuthority.size();
    }

    private Verdict judge(URI uri) {
        Host host;
        try {
            host = Host.of(uri);
        } catch (IllegalArgumentException e) {
            return Verdict.refused(e.getMessage());
        }
        if (host.name == null) return Verdict.refused("its host " + host.raw + " is an IP address, never allowed");
        if (!matches(host.name))
            return Verdict.refused("its host " + host.name + " is not in " + KochavaClientConfig.PING_ALLOWED_HOSTS);
        return new Verdict(true, host.name, host.asciiAuthority(), null);
    }

    private boolean matches(String name) {
        if (exact.contains(name)) return true;
        for (String suffix : suffixes) {
            if (name.endsWith(suffix)) return true;
        }
        return false;
    }

    /**
     * @param allowed        whether the URL may be pinged
     * @param host           its host, normalised; null when refused
     * @param asciiAuthority host (ASCII form) and port as the request must name them; null when refused
     * @param reason         why it is refused, e.g. "its host evil.example is not in …"; null when allowed
     */
    public record Verdict(boolean allowed, String host, String asciiAuthority, String reason) {
        static Verdict refused(String reason) {
            return new Verdict(false, null, null, reason);
        }
    }

    /** Lower case, ASCII (IDNA), no trailing dot; null when {@code host} is not a valid DNS name. */
    static String normaliseName(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
        try {
            name = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return !name.isEmpty() && name.length() <= 253 && LDH_NAME.matcher(name).matches() ? name : null;
    }

    private static String lastLabel(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** Digits, or a hexadecimal 0x… label: what IPv4 parsers read as (part of) an address. */
    private static boolean isNumeric(String label) {
        return label.chars().allMatch(Character::isDigit) || label.startsWith("0x");
    }

    /** The host of a URL as a request would reach it. */
    private record Host(String raw, String name, int port) {

        /**
         * The URL as an absolute http(s) URI with an authority and no user info.
         *
         * @throws IllegalArgumentException when it is not one
         */
        static URI parse(String url) {
            if (url == null || url.isBlank()) throw new IllegalArgumentException("it is missing");
            String text = url.trim();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\\' || c <= 0x20 || c == 0x7f)
                    throw new IllegalArgumentException("it holds a backslash, a space or a control character");
            }
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("it is not a valid URI (" + e.getReason() + ")");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https"))
                throw new IllegalArgumentException("its scheme is not http or https");
            String authority = uri.getRawAuthority();
            if (authority == null || authority.isEmpty()) throw new IllegalArgumentException("it has no host");
            if (uri.getRawUserInfo() != null || authority.contains("@"))
                throw new IllegalArgumentException("it carries user info before its host");
            return uri;
        }

        /**
         * @throws IllegalArgumentException when the URI's authority is not a plain host (and port)
         */
        static Host of(URI uri) {
            String authority = uri.getRawAuthority();
            if (uri.getHost() != null) return fromHost(uri.getHost(), uri.getPort());
            // Not a plain ASCII host name: accept an internationalised name, nothing else.
            int colon = authority.lastIndexOf(':');
            String host = colon < 0 ? authority : authority.substring(0, colon);
            int port = -1;
            if (colon >= 0) {
                try {
                    port = Integer.parseInt(authority.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("its port is not a number");
                }
            }
            if (host.contains("%") || host.chars().allMatch(c -> c < 0x80))
                throw new IllegalArgumentException("its host is not a valid host name");
            return fromHost(host, port);
        }

        private static Host fromHost(String host, int port) {
            if (port > 65535) throw new IllegalArgumentException("its port is out of range");
            if (host.startsWith("[")) return new Host(host, null, port);
            String name = normaliseName(host);
            if (name == null) throw new IllegalArgumentException("its host is not a valid host name");
            return new Host(host, isNumeric(lastLabel(name)) ? null : name, port);
        }

        String asciiAuthority() {
            return port < 0 ? name : name + ":" + port;
        }
    }
}
