package io.kobot.kochava;

import io.kobot.config.ConfigProblem;
import io.kobot.config.ConfigValues;
import io.kobot.config.Durations;
import io.kobot.config.InvalidConfigurationException;
import io.kobot.config.UrlCredentials;
import io.kobot.config.Validators;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * The Kochava client's settings, immutable and typed, read from a map whose values may be strings, numbers or
 * booleans (so Kafka-style properties and parsed YAML both work). A key that is absent, null or blank takes its
 * default; keys this class does not know are ignored, as the same map also configures other components.
 *
 * <p>Every key is declared once, in {@link #CONFIG_DEF}; the pipeline and the Kafka Connect sink compose that
 * declaration into theirs, and the configuration reference is generated from it. Durations are documented as
 * ISO-8601 ({@code PT10S}); a plain number is still read as milliseconds, as before.
 *
 * <p>To add a key: a name constant, a {@code define(...)} line in {@link #CONFIG_DEF} (type, default, validator,
 * importance, doc, group, order, width, display name), a field set in the constructor from {@link ConfigValues},
 * and an accessor; a rule across keys goes in {@link #checkAcross}.
 */
public final class KochavaClientConfig {

    public static final String ENDPOINT = "kochava.endpoint";
    public static final String BODY_MODE = "kochava.body-mode";
    public static final String FB_USER_ID_PARAM = "kochava.ping.fb-user-id-param";
    public static final String FORWARD_IDENTITY_LINKS = "kochava.identity-link.forward";
    public static final String IDENTITY_LINK_ENDPOINT = "kochava.identity-link.endpoint";
    public static final String IDENTITY_LINK_DEFAULT_APP_ID = "kochava.identity-link.default-app-id";
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
    public static final String HTTP_VERSION_POLICY = "delivery.http.version-policy";
    public static final String H2_MAX_CONNECTIONS = "delivery.h2.max-connections";
    public static final String H2_MAX_CONCURRENT_STREAMS = "delivery.h2.max-concurrent-streams";
    public static final String IO_THREADS = "delivery.io-threads";
    public static final String MAX_OPENING_CONNECTIONS = "delivery.max-opening-connections";

    public static final String DEFAULT_ENDPOINT = "https://control.kochava.com/track/json";
    /**
     * Kochava's documented IdentityLink endpoint (support.kochava.com, "IdentityLink Setup", which names it over
     * plain http); sent over https, as the engagement endpoint on the same host is.
     */
    public static final String DEFAULT_IDENTITY_LINK_ENDPOINT = "https://control.kochava.com/v1/cpi/identityLink.php";

    public static final String DEFAULT_FB_USER_ID_PARAM = "fb_user_id";
    public static final String DEFAULT_PING_ALLOWED_HOSTS = String.join(",", PingHostAllowlist.KOCHAVA_HOSTS);

    static final String KOCHAVA_GROUP = "Kochava";
    static final String DELIVERY_GROUP = "Delivery";

    /** Every key of the client, in reference order. */
    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    ENDPOINT,
                    Type.STRING,
                    DEFAULT_ENDPOINT,
                    Validators.httpUrl(),
                    Importance.HIGH,
                    "Absolute http(s) URL that events are POSTed to.",
                    KOCHAVA_GROUP,
                    1,
                    Width.LONG,
                    "Engagement endpoint")
            .define(
                    BODY_MODE,
                    Type.STRING,
                    "object",
                    Validators.oneOfIgnoringCase("object", "array"),
                    Importance.LOW,
                    "object: one event per POST, as Kochava's /track/json takes them; array: a JSON array of events per POST, "
                            + "for a proxy that accepts one.",
                    KOCHAVA_GROUP,
                    2,
                    Width.SHORT,
                    "Body mode")
            .define(
                    FB_USER_ID_PARAM,
                    Type.STRING,
                    DEFAULT_FB_USER_ID_PARAM,
                    Importance.LOW,
                    "Query parameter that carries fb_user_id on impression and click pings.",
                    KOCHAVA_GROUP,
                    3,
                    Width.MEDIUM,
                    "Ping fb_user_id parameter")
            .define(
                    FORWARD_IDENTITY_LINKS,
                    Type.BOOLEAN,
                    false,
                    Importance.LOW,
                    "Forward each new or changed IdentityLink (not an unchanged replay, not a tombstone) to Kochava's "
                            + "IdentityLink endpoint, through the delivery outbox (delivery.mode=topology only).",
                    KOCHAVA_GROUP,
                    4,
                    Width.SHORT,
                    "Forward identity links")
            .define(
                    IDENTITY_LINK_ENDPOINT,
                    Type.STRING,
                    DEFAULT_IDENTITY_LINK_ENDPOINT,
                    Validators.httpUrl(),
                    Importance.LOW,
                    "Absolute http(s) URL that forwarded identity links are POSTed to, as Kochava documents "
                            + "(support.kochava.com, IdentityLink Setup): {\"kochava_app_id\": ..., \"device_id\": "
                            + "{name: id, ...}, \"data\": {\"fb_userid\": ...}}. The same address checks as the "
                            + "engagement endpoint apply.",
                    KOCHAVA_GROUP,
                    5,
                    Width.LONG,
                    "IdentityLink endpoint")
            .define(
                    IDENTITY_LINK_DEFAULT_APP_ID,
                    Type.STRING,
                    null,
                    Importance.LOW,
                    "Kochava app id a forwarded identity link is sent for when it carries no kochava_app_id; "
                            + "required when " + FORWARD_IDENTITY_LINKS + " is true.",
                    KOCHAVA_GROUP,
                    6,
                    Width.MEDIUM,
                    "IdentityLink default app id")
            .define(
                    PING_ALLOWED_HOSTS,
                    Type.LIST,
                    DEFAULT_PING_ALLOWED_HOSTS,
                    new AllowlistRules(),
                    Importance.MEDIUM,
                    "Comma-separated hosts that impression and click tracking URLs may name: a host name, or *.name for "
                            + "its subdomains. Records naming another host are dead-lettered (TRACKING_HOST_NOT_ALLOWED) "
                            + "and never pinged; IP addresses never match.",
                    KOCHAVA_GROUP,
                    7,
                    Width.LONG,
                    "Ping allowed hosts")
            .define(
                    ALLOW_PRIVATE_ADDRESSES,
                    Type.BOOLEAN,
                    false,
                    Importance.LOW,
                    "Allow requests (pings and posts) to loopback, link-local, private, carrier-grade NAT, unique-local, "
                            + "multicast and unspecified addresses; only for local stand-ins.",
                    KOCHAVA_GROUP,
                    8,
                    Width.SHORT,
                    "Allow private addresses")
            .define(
                    REQUEST_TIMEOUT,
                    Type.STRING,
                    "PT10S",
                    Durations.atLeastMillis(Duration.ofMillis(1)),
                    Importance.MEDIUM,
                    "How long one attempt may take in all, from the wait for a pooled connection to the last byte of the "
                            + "response; the exchange is then cancelled (a timeout, retried).",
                    DELIVERY_GROUP,
                    1,
                    Width.SHORT,
                    "Request timeout")
            .define(
                    CONNECT_TIMEOUT,
                    Type.STRING,
                    "PT5S",
                    Durations.atLeastMillis(Duration.ofMillis(1)),
                    Importance.LOW,
                    "How long to wait for a connection to be established.",
                    DELIVERY_GROUP,
                    2,
                    Width.SHORT,
                    "Connect timeout")
            .define(
                    MAX_CONNECTIONS,
                    Type.INT,
                    256,
                    Validators.atLeast(1),
                    Importance.LOW,
                    "Pooled keep-alive connections of event and identity-link POSTs, in total and per host; HTTP/1.1 carries "
                            + "one request per connection at a time, so requests per second stay below this over the "
                            + "round trip.",
                    DELIVERY_GROUP,
                    3,
                    Width.SHORT,
                    "Max connections")
            .define(
                    MAX_IN_FLIGHT,
                    Type.INT,
                    256,
                    Validators.atLeast(1),
                    Importance.MEDIUM,
                    "Event and identity-link POSTs in flight at once; more wait in a queue.",
                    DELIVERY_GROUP,
                    4,
                    Width.SHORT,
                    "Max in flight")
            .define(
                    PING_MAX_CONNECTIONS,
                    Type.INT,
                    64,
                    Validators.atLeast(1),
                    Importance.LOW,
                    "Pooled connections of impression and click pings, a pool of their own so that slow tracking hosts "
                            + "cannot hold the POSTs' connections.",
                    DELIVERY_GROUP,
                    5,
                    Width.SHORT,
                    "Ping max connections")
            .define(
                    PING_MAX_IN_FLIGHT,
                    Type.INT,
                    64,
                    Validators.atLeast(1),
                    Importance.LOW,
                    "Pings in flight at once, apart from POSTs; more wait in a queue.",
                    DELIVERY_GROUP,
                    6,
                    Width.SHORT,
                    "Ping max in flight")
            .define(
                    MAX_RETRY_TIME,
                    Type.STRING,
                    "P1D",
                    Durations.atLeastMillis(Duration.ZERO),
                    Importance.HIGH,
                    "Time after the first attempt past which no retry (of an IO error, timeout, 5xx or 429) starts; the "
                            + "record is then dead-lettered (RETRIES_EXHAUSTED). A day, so that an outage of hours is waited out.",
                    DELIVERY_GROUP,
                    7,
                    Width.SHORT,
                    "Max retry time")
            .define(
                    RETRY_INITIAL_BACKOFF,
                    Type.STRING,
                    "PT0.2S",
                    Durations.atLeastMillis(Duration.ofMillis(1)),
                    Importance.LOW,
                    "Upper bound of the first retry's backoff (full jitter).",
                    DELIVERY_GROUP,
                    8,
                    Width.SHORT,
                    "Initial backoff")
            .define(
                    RETRY_MAX_BACKOFF,
                    Type.STRING,
                    "PT30S",
                    Durations.atLeastMillis(Duration.ofMillis(1)),
                    Importance.LOW,
                    "Upper bound of any retry's backoff; at least " + RETRY_INITIAL_BACKOFF + ".",
                    DELIVERY_GROUP,
                    9,
                    Width.SHORT,
                    "Max backoff")
            .define(
                    RATE_LIMIT_PER_APP,
                    Type.DOUBLE,
                    0.0,
                    Validators.atLeast(0),
                    Importance.LOW,
                    "Requests per second per Kochava app id (decimals allowed); 0 = no limit.",
                    DELIVERY_GROUP,
                    10,
                    Width.SHORT,
                    "Rate limit per app")
            .define(
                    HTTP_VERSION_POLICY,
                    Type.STRING,
                    "negotiate",
                    Validators.oneOfIgnoringCase("negotiate", "http1", "h2-prior-knowledge"),
                    Importance.MEDIUM,
                    "negotiate: HTTP/2 where the endpoint offers it in the TLS handshake (ALPN), else HTTP/1.1 (plain "
                            + "http is HTTP/1.1); http1: HTTP/1.1 only; h2-prior-knowledge: HTTP/2 without asking, "
                            + "also over plain http (h2c), for a proxy or stand-in known to speak it. HTTP/1.1 carries "
                            + "one request per connection at a time (requests per second <= max-connections / round "
                            + "trip); HTTP/2 carries many over a few connections. Pings negotiate unless http1.",
                    DELIVERY_GROUP,
                    11,
                    Width.SHORT,
                    "HTTP version policy")
            .define(
                    H2_MAX_CONNECTIONS,
                    Type.INT,
                    4,
                    Validators.atLeast(1),
                    Importance.LOW,
                    "HTTP/2 connections per host (" + MAX_CONNECTIONS + " bounds HTTP/1.1 connections). More "
                            + "connections spread the load over more server instances and TCP windows; fewer save "
                            + "handshakes and memory.",
                    DELIVERY_GROUP,
                    12,
                    Width.SHORT,
                    "HTTP/2 max connections")
            .define(
                    H2_MAX_CONCURRENT_STREAMS,
                    Type.INT,
                    100,
                    Validators.atLeast(1),
                    Importance.LOW,
                    "Requests at once on one HTTP/2 connection (the server's own limit applies too); requests past "
                            + H2_MAX_CONNECTIONS + " x this wait for a stream. Keep the product at least "
                            + MAX_IN_FLIGHT + " to use it.",
                    DELIVERY_GROUP,
                    13,
                    Width.SHORT,
                    "HTTP/2 max concurrent streams")
            .define(
                    IO_THREADS,
                    Type.INT,
                    0,
                    Validators.atLeast(0),
                    Importance.LOW,
                    "I/O threads of each of the two connection pools (POSTs, pings): they encrypt, frame and read every "
                            + "request and answer. 0: one per available processor.",
                    DELIVERY_GROUP,
                    14,
                    Width.SHORT,
                    "I/O threads")
            .define(
                    MAX_OPENING_CONNECTIONS,
                    Type.INT,
                    32,
                    Validators.atLeast(1),
                    Importance.LOW,
                    "Connections each of the two connection pools (POSTs, pings) opens at once to each host, from "
                            + "the TCP connect to the end of the TLS handshake; more to that host wait in order for one "
                            + "to finish, within their request's timeout (a host slow to connect to holds up no request "
                            + "to another). Keeps a burst (start-up, the end of an outage) from starting hundreds "
                            + "of TLS handshakes at once on the I/O threads and at the endpoint.",
                    DELIVERY_GROUP,
                    15,
                    Width.SHORT,
                    "Max opening connections");

    private final URI endpoint;
    private final BodyMode bodyMode;
    private final String fbUserIdParam;
    private final boolean forwardIdentityLinks;
    private final URI identityLinkEndpoint;
    private final String identityLinkDefaultAppId;
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
    private final HttpVersionPolicy httpVersionPolicy;
    private final int h2MaxConnections;
    private final int h2MaxConcurrentStreams;
    private final int ioThreads;
    private final int maxOpeningConnections;

    private KochavaClientConfig(ConfigValues values) {
        endpoint = URI.create(values.getString(ENDPOINT).trim());
        bodyMode = BodyMode.valueOf(values.getString(BODY_MODE).toUpperCase(Locale.ROOT));
        fbUserIdParam = values.getString(FB_USER_ID_PARAM);
        forwardIdentityLinks = values.getBoolean(FORWARD_IDENTITY_LINKS);
        identityLinkEndpoint =
                URI.create(values.getString(IDENTITY_LINK_ENDPOINT).trim());
        String defaultAppId = values.getString(IDENTITY_LINK_DEFAULT_APP_ID);
        identityLinkDefaultAppId = defaultAppId == null || defaultAppId.isBlank() ? null : defaultAppId.trim();
        pingAllowedHosts = PingHostAllowlist.of(values.getList(PING_ALLOWED_HOSTS));
        allowPrivateAddresses = values.getBoolean(ALLOW_PRIVATE_ADDRESSES);
        requestTimeout = values.getDuration(REQUEST_TIMEOUT);
        connectTimeout = values.getDuration(CONNECT_TIMEOUT);
        maxConnections = values.getInt(MAX_CONNECTIONS);
        maxInFlight = values.getInt(MAX_IN_FLIGHT);
        pingMaxConnections = values.getInt(PING_MAX_CONNECTIONS);
        pingMaxInFlight = values.getInt(PING_MAX_IN_FLIGHT);
        maxRetryTime = values.getDuration(MAX_RETRY_TIME);
        initialBackoff = values.getDuration(RETRY_INITIAL_BACKOFF);
        maxBackoff = values.getDuration(RETRY_MAX_BACKOFF);
        rateLimitPerApp = values.getDouble(RATE_LIMIT_PER_APP);
        httpVersionPolicy = versionPolicy(values.getString(HTTP_VERSION_POLICY));
        h2MaxConnections = values.getInt(H2_MAX_CONNECTIONS);
        h2MaxConcurrentStreams = values.getInt(H2_MAX_CONCURRENT_STREAMS);
        int configuredIoThreads = values.getInt(IO_THREADS);
        ioThreads = configuredIoThreads > 0
                ? configuredIoThreads
                : Runtime.getRuntime().availableProcessors();
        maxOpeningConnections = values.getInt(MAX_OPENING_CONNECTIONS);
    }

    private static HttpVersionPolicy versionPolicy(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "http1" -> HttpVersionPolicy.FORCE_HTTP_1;
            case "h2-prior-knowledge" -> HttpVersionPolicy.FORCE_HTTP_2;
            default -> HttpVersionPolicy.NEGOTIATE;
        };
    }

    /**
     * Reads the configuration from {@code props}.
     *
     * @throws InvalidConfigurationException listing every invalid value
     */
    public static KochavaClientConfig from(Map<String, ?> props) {
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigValues values = ConfigValues.parse(CONFIG_DEF, props, problems);
        checkAcross(values, problems);
        InvalidConfigurationException.throwIfAny(problems);
        return new KochavaClientConfig(values);
    }

    /**
     * The configuration from values already parsed and checked (with {@link #checkAcross}) by a definition that
     * composes {@link #CONFIG_DEF}.
     */
    public static KochavaClientConfig from(ConfigValues values) {
        return new KochavaClientConfig(values);
    }

    /** The rules across keys, on the keys whose own values are valid. */
    public static void checkAcross(ConfigValues values, List<ConfigProblem> problems) {
        if (values.has(FORWARD_IDENTITY_LINKS)
                && Boolean.TRUE.equals(values.getBoolean(FORWARD_IDENTITY_LINKS))
                && isBlank(values.getString(IDENTITY_LINK_DEFAULT_APP_ID)))
            problems.add(new ConfigProblem(
                    IDENTITY_LINK_DEFAULT_APP_ID,
                    "is required when " + FORWARD_IDENTITY_LINKS + " is true: the app a link without "
                            + "kochava_app_id is sent for"));
        if (values.has(RETRY_INITIAL_BACKOFF) && values.has(RETRY_MAX_BACKOFF)) {
            Duration initial = values.getDuration(RETRY_INITIAL_BACKOFF);
            if (values.getDuration(RETRY_MAX_BACKOFF).compareTo(initial) < 0)
                problems.add(new ConfigProblem(
                        RETRY_MAX_BACKOFF, "must be at least " + RETRY_INITIAL_BACKOFF + " (" + initial + ")"));
        }
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
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

    /** Where identity links are POSTed. */
    public URI identityLinkEndpoint() {
        return identityLinkEndpoint;
    }

    /** The app a forwarded link without its own kochava_app_id is sent for; null when not configured. */
    public String identityLinkDefaultAppId() {
        return identityLinkDefaultAppId;
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

    /** Which HTTP versions POSTs use: see {@link #HTTP_VERSION_POLICY}. */
    public HttpVersionPolicy httpVersionPolicy() {
        return httpVersionPolicy;
    }

    /** HTTP/2 connections per host. */
    public int h2MaxConnections() {
        return h2MaxConnections;
    }

    /** Requests at once on one HTTP/2 connection. */
    public int h2MaxConcurrentStreams() {
        return h2MaxConcurrentStreams;
    }

    /** I/O threads per connection pool; {@value #IO_THREADS} 0 resolved to the available processors. */
    public int ioThreads() {
        return ioThreads;
    }

    /** Connections each pool opens at once to each host (connect and TLS handshake). */
    public int maxOpeningConnections() {
        return maxOpeningConnections;
    }

    @Override
    public String toString() {
        return "KochavaClientConfig(endpoint=" + UrlCredentials.mask(endpoint.toString()) + ", bodyMode=" + bodyMode
                + ", fbUserIdParam=" + fbUserIdParam
                + ", forwardIdentityLinks=" + forwardIdentityLinks + ", identityLinkEndpoint="
                + UrlCredentials.mask(identityLinkEndpoint.toString()) + ", identityLinkDefaultAppId="
                + identityLinkDefaultAppId + ", pingAllowedHosts=" + pingAllowedHosts.rules()
                + ", allowPrivateAddresses=" + allowPrivateAddresses + ", requestTimeout=" + requestTimeout
                + ", connectTimeout=" + connectTimeout + ", maxConnections=" + maxConnections + ", maxInFlight="
                + maxInFlight
                + ", pingMaxConnections=" + pingMaxConnections + ", pingMaxInFlight=" + pingMaxInFlight
                + ", maxRetryTime=" + maxRetryTime + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff
                + ", rateLimitPerApp=" + rateLimitPerApp + ", httpVersionPolicy=" + httpVersionPolicy
                + ", h2MaxConnections=" + h2MaxConnections + ", h2MaxConcurrentStreams=" + h2MaxConcurrentStreams
                + ", ioThreads=" + ioThreads + ", maxOpeningConnections=" + maxOpeningConnections + ")";
    }

    /** Allowlist rules as {@link PingHostAllowlist} accepts them (blank entries ignored). */
    private static final class AllowlistRules implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) return;
            try {
                PingHostAllowlist.of(
                        ((List<?>) value).stream().map(String::valueOf).toList());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, null, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "host names or *.domain";
        }
    }
}
