package io.kobot.kochava;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Kochava client's settings, immutable and typed, read from a map whose values may be strings, numbers or
 * booleans (so Kafka-style properties and parsed YAML both work). A key that is absent, null or blank takes its
 * default; keys this class does not know are ignored, as the same map also configures other components.
 *
 * <p>Every key, with its default and meaning, is listed by {@link #keys()} (the README's reference is generated
 * from it).
 */
public final class KochavaClientConfig {

    public static final String ENDPOINT = "kochava.endpoint";
    public static final String BODY_MODE = "kochava.body-mode";
    public static final String FB_USER_ID_PARAM = "kochava.ping.fb-user-id-param";
    public static final String FORWARD_IDENTITY_LINKS = "kochava.identity-link.forward";
    public static final String PING_ALLOWED_HOSTS = "kochava.ping.allowed-hosts";
    public static final String ALLOW_PRIVATE_ADDRESSES = "kochava.allow-private-addresses";
    public static final String REQUEST_TIMEOUT = "delivery.request-timeout";
    public static final String CONNECT_TIMEOUT = "delivery.connect-timeout";
    public static final String MAX_CONNECTIONS = "delivery.max-connections";
    public static final String MAX_IN_FLIGHT = "delivery.max-in-flight";
    public static final String PING_MAX_CONNECTIONS = "delivery.ping.max-connections";
    public static final String PING_MAX_IN_FLIGHT = "delivery.ping.max-in-flight";
    public static final String MAX_RETRY_TIME = "delivery.max-retry-time";
    public static final String RETRY_INITIAL_BACKOFF = "delivery.retry.initial-backoff";
    public static final String RETRY_MAX_BACKOFF = "delivery.retry.max-backoff";
    public static final String RATE_LIMIT_PER_APP = "delivery.rate-limit.per-app";

    public static final String DEFAULT_ENDPOINT = "https://control.kochava.com/track/json";
    public static final String DEFAULT_FB_USER_ID_PARAM = "fb_user_id";
    public static final String DEFAULT_PING_ALLOWED_HOSTS = String.join(",", PingHostAllowlist.KOCHAVA_HOSTS);

    /** One documented key, for the configuration reference. */
    public record KeyDoc(String name, String defaultValue, String doc) {}

    private static final List<KeyDoc> KEYS = List.of(
            new KeyDoc(
                    ENDPOINT, DEFAULT_ENDPOINT, "Absolute http(s) URL that events (and identity links) are POSTed to."),
            new KeyDoc(
                    BODY_MODE,
                    "object",
                    "object: one event per POST, as Kochava's /track/json takes them; array: a "
                            + "JSON array of events per POST, for a proxy that accepts one."),
            new KeyDoc(
                    FB_USER_ID_PARAM,
                    DEFAULT_FB_USER_ID_PARAM,
                    "Query parameter that carries fb_user_id on impression and click pings."),
            new KeyDoc(
                    FORWARD_IDENTITY_LINKS,
                    "false",
                    "Forward IdentityLink updates as action identityLink (the client "
                            + "can; the pipeline refuses true, as it does not forward link updates yet)."),
            new KeyDoc(
                    PING_ALLOWED_HOSTS,
                    DEFAULT_PING_ALLOWED_HOSTS,
                    "Comma-separated hosts that impression and click "
                            + "tracking URLs may name: a host name, or *.name for its subdomains. Records naming another host are "
                            + "dead-lettered (TRACKING_HOST_NOT_ALLOWED) and never pinged; IP addresses never match."),
            new KeyDoc(
                    ALLOW_PRIVATE_ADDRESSES,
                    "false",
                    "Allow requests (pings and posts) to loopback, link-local, "
                            + "private, carrier-grade NAT, unique-local, multicast and unspecified addresses; only for local "
                            + "stand-ins."),
            new KeyDoc(
                    REQUEST_TIMEOUT,
                    "10000",
                    "Milliseconds one attempt may take in all, from the wait for a pooled "
                            + "connection to the last byte of the response; the exchange is then cancelled (a timeout, retried)."),
            new KeyDoc(CONNECT_TIMEOUT, "5000", "Milliseconds to establish a connection."),
            new KeyDoc(
                    MAX_CONNECTIONS,
                    "256",
                    "Pooled keep-alive connections of event and identity-link POSTs, in total "
                            + "and per host; HTTP/1.1 carries one request per connection at a time, so requests per second stay "
                            + "below this over the round trip."),
            new KeyDoc(MAX_IN_FLIGHT, "256", "Event and identity-link POSTs in flight at once; more wait in a queue."),
            new KeyDoc(
                    PING_MAX_CONNECTIONS,
                    "64",
                    "Pooled connections of impression and click pings, a pool of their own "
                            + "so that slow tracking hosts cannot hold the POSTs' connections."),
            new KeyDoc(PING_MAX_IN_FLIGHT, "64", "Pings in flight at once, apart from POSTs; more wait in a queue."),
            new KeyDoc(
                    MAX_RETRY_TIME,
                    "86400000",
                    "Milliseconds after the first attempt past which no retry starts; the "
                            + "record is then dead-lettered (RETRIES_EXHAUSTED). A day, so that an outage of hours is waited out."),
            new KeyDoc(
                    RETRY_INITIAL_BACKOFF,
                    "200",
                    "Milliseconds, upper bound of the first retry's backoff (full jitter)."),
            new KeyDoc(RETRY_MAX_BACKOFF, "30000", "Milliseconds, upper bound of any retry's backoff."),
            new KeyDoc(
                    RATE_LIMIT_PER_APP,
                    "0",
                    "Requests per second per Kochava app id (decimals allowed); 0 = no limit."));

    /** The documented keys, in reference order. */
    public static List<KeyDoc> keys() {
        return KEYS;
    }

    private final URI endpoint;
    private final BodyMode bodyMode;
    private final String fbUserIdParam;
    private final boolean forwardIdentityLinks;
    private final PingHostAllowlist pingAllowedHosts;
    private final boolean allowPrivateAddresses;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final int maxConnections;
    private final int maxInFlight;
    private final int pingMaxConnections;
    private final int pingMaxInFlight;
    private final Duration maxRetryTime;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double rateLimitPerApp;

    private KochavaClientConfig(Reader reader) {
        endpoint = reader.endpoint();
        bodyMode = reader.bodyMode();
        fbUserIdParam = reader.string(FB_USER_ID_PARAM, DEFAULT_FB_USER_ID_PARAM);
        forwardIdentityLinks = reader.bool(FORWARD_IDENTITY_LINKS, false);
        pingAllowedHosts = reader.hosts(PING_ALLOWED_HOSTS);
        allowPrivateAddresses = reader.bool(ALLOW_PRIVATE_ADDRESSES, false);
        requestTimeout = reader.millis(REQUEST_TIMEOUT, 10_000, 1);
        connectTimeout = reader.millis(CONNECT_TIMEOUT, 5_000, 1);
        maxConnections = reader.integer(MAX_CONNECTIONS, 256, 1);
        maxInFlight = reader.integer(MAX_IN_FLIGHT, 256, 1);
        pingMaxConnections = reader.integer(PING_MAX_CONNECTIONS, 64, 1);
        pingMaxInFlight = reader.integer(PING_MAX_IN_FLIGHT, 64, 1);
        maxRetryTime = reader.millis(MAX_RETRY_TIME, 86_400_000, 0);
        initialBackoff = reader.millis(RETRY_INITIAL_BACKOFF, 200, 1);
        maxBackoff = reader.millis(RETRY_MAX_BACKOFF, 30_000, 1);
        rateLimitPerApp = reader.rate(RATE_LIMIT_PER_APP);
        if (maxBackoff.compareTo(initialBackoff) < 0)
            reader.error(
                    RETRY_MAX_BACKOFF,
                    "must be at least " + RETRY_INITIAL_BACKOFF + " (" + initialBackoff.toMillis() + ")");
    }

    /**
     * Reads the configuration from {@code props}.
     *
     * @throws InvalidConfigException listing every invalid value
     */
    public static KochavaClientConfig from(Map<String, ?> props) {
        Reader reader = new Reader(props);
        KochavaClientConfig config = new KochavaClientConfig(reader);
        if (!reader.errors.isEmpty()) throw new InvalidConfigException(reader.errors);
        return config;
    }

    public static KochavaClientConfig defaults() {
        return from(Map.of());
    }

    public URI endpoint() {
        return endpoint;
    }

    public BodyMode bodyMode() {
        return bodyMode;
    }

    public String fbUserIdParam() {
        return fbUserIdParam;
    }

    public boolean forwardIdentityLinks() {
        return forwardIdentityLinks;
    }

    /** The hosts tracking URLs may name. */
    public PingHostAllowlist pingAllowedHosts() {
        return pingAllowedHosts;
    }

    /** Whether requests may go to non-public addresses (local stand-ins). */
    public boolean allowPrivateAddresses() {
        return allowPrivateAddresses;
    }

    /** The hard deadline of one attempt. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public int pingMaxConnections() {
        return pingMaxConnections;
    }

    public int pingMaxInFlight() {
        return pingMaxInFlight;
    }

    public Duration maxRetryTime() {
        return maxRetryTime;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** Requests per second per app id; 0 when there is no limit. */
    public double rateLimitPerApp() {
        return rateLimitPerApp;
    }

    @Override
    public String toString() {
        return "KochavaClientConfig(endpoint=" + UrlCredentials.mask(endpoint.toString()) + ", bodyMode=" + bodyMode
                + ", fbUserIdParam=" + fbUserIdParam
                + ", forwardIdentityLinks=" + forwardIdentityLinks + ", pingAllowedHosts=" + pingAllowedHosts.rules()
                + ", allowPrivateAddresses=" + allowPrivateAddresses + ", requestTimeout=" + requestTimeout
                + ", connectTimeout=" + connectTimeout + ", maxConnections=" + maxConnections + ", maxInFlight="
                + maxInFlight
                + ", pingMaxConnections=" + pingMaxConnections + ", pingMaxInFlight=" + pingMaxInFlight
                + ", maxRetryTime=" + maxRetryTime + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff
                + ", rateLimitPerApp=" + rateLimitPerApp + ")";
    }

    /** Reads typed values, collecting every error instead of stopping at the first. */
    private static final class Reader {
        private final Map<String, ?> props;
        private final List<ConfigError> errors = new ArrayList<>();

        Reader(Map<String, ?> props) {
            this.props = props;
        }

        void error(String key, String reason) {
            errors.add(new ConfigError(key, reason));
        }

        /** The trimmed text of a value, or null when it is unset or blank. */
        private String text(String key) {
            Object value = props.get(key);
            if (value == null) return null;
            String text = value.toString().trim();
            return text.isEmpty() ? null : text;
        }

        String string(String key, String defaultValue) {
            String text = text(key);
            return text == null ? defaultValue : text;
        }

        URI endpoint() {
            String text = string(ENDPOINT, DEFAULT_ENDPOINT);
            try {
                URI uri = new URI(text);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) return uri;
            } catch (Exception e) {
                // reported below
            }
            error(ENDPOINT, "must be an absolute http or https URL, got '" + text + "'");
            return URI.create(DEFAULT_ENDPOINT);
        }

        /** A comma-separated string or a list (parsed YAML) of allowlist rules. */
        PingHostAllowlist hosts(String key) {
            Object value = props.get(key);
            List<String> rules = new ArrayList<>();
            if (value instanceof Collection<?> list) list.forEach(item -> rules.add(String.valueOf(item)));
            else rules.addAll(List.of(string(key, DEFAULT_PING_ALLOWED_HOSTS).split(",")));
            rules.removeIf(String::isBlank);
            try {
                return PingHostAllowlist.of(rules);
            } catch (IllegalArgumentException e) {
                error(key, e.getMessage());
                return PingHostAllowlist.of(PingHostAllowlist.KOCHAVA_HOSTS);
            }
        }

        BodyMode bodyMode() {
            String text = string(BODY_MODE, "object");
            try {
                return BodyMode.valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                error(BODY_MODE, "must be 'object' or 'array', got '" + text + "'");
                return BodyMode.OBJECT;
            }
        }

        boolean bool(String key, boolean defaultValue) {
            String text = text(key);
            if (text == null) return defaultValue;
            if (text.equalsIgnoreCase("true")) return true;
            if (text.equalsIgnoreCase("false")) return false;
            error(key, "must be true or false, got '" + text + "'");
            return defaultValue;
        }

        long number(String key, long defaultValue, long min) {
            String text = text(key);
            if (text == null) return defaultValue;
            try {
                long value = Long.parseLong(text);
                if (value >= min) return value;
                error(key, "must be at least " + min + ", got " + value);
            } catch (NumberFormatException e) {
                error(key, "must be a whole number, got '" + text + "'");
            }
            return defaultValue;
        }

        int integer(String key, int defaultValue, int min) {
            long value = number(key, defaultValue, min);
            if (value <= Integer.MAX_VALUE) return (int) value;
            error(key, "must be at most " + Integer.MAX_VALUE + ", got " + value);
            return defaultValue;
        }

        Duration millis(String key, long defaultMillis, long min) {
            return Duration.ofMillis(number(key, defaultMillis, min));
        }

        double rate(String key) {
            String text = text(key);
            if (text == null) return 0;
            try {
                double value = Double.parseDouble(text);
                if (value >= 0 && Double.isFinite(value)) return value;
                error(key, "must be 0 (off) or a positive number of requests per second, got " + text);
            } catch (NumberFormatException e) {
                error(key, "must be a number of requests per second, got '" + text + "'");
            }
            return 0;
        }
    }
}
