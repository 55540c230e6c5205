package io.kobot.registry;

import io.kobot.config.ConfigProblem;
import io.kobot.config.ConfigValues;
import io.kobot.config.InvalidConfigurationException;
import io.kobot.config.Validators;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Immutable Schema Registry client settings, read from the same Kafka-style config map a serde is configured with
 * (keys it does not know are ignored). Either a list of HTTP base URLs or one {@code mock://<scope>}.
 */
public final class SchemaRegistryConfig {

    public static final String URL_CONFIG = "schema.registry.url";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    public static final String REQUEST_TIMEOUT_MS_CONFIG = "schema.registry.request.timeout.ms";
    public static final String MAX_RETRIES_CONFIG = "schema.registry.max.retries";
    public static final String RETRY_BACKOFF_MS_CONFIG = "schema.registry.retry.backoff.ms";
    public static final String NEGATIVE_CACHE_TTL_MS_CONFIG = "schema.registry.negative.cache.ttl.ms";

    /** The only credentials source supported: user and password from basic.auth.user.info. */
    public static final String USER_INFO_SOURCE = "USER_INFO";

    static final String MOCK_SCHEME = "mock://";

    /** Every key of the registry client, declared once; the pipeline and the Connect sink compose from it. */
    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    URL_CONFIG,
                    Type.LIST,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Validators.described(
                            "URL list",
                            "http(s)://host[:port][/base/path],... or mock://<scope>",
                            SchemaRegistryConfig::checkUrls),
                    Importance.HIGH,
                    "Comma-separated base URLs of a Confluent-compatible Schema Registry, or mock://<scope> for an in-memory one.")
            .define(
                    BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG,
                    Type.STRING,
                    null,
                    Validators.oneOf(USER_INFO_SOURCE),
                    Importance.MEDIUM,
                    "USER_INFO to send HTTP basic auth from basic.auth.user.info; unset for none.")
            .define(
                    BASIC_AUTH_USER_INFO_CONFIG,
                    Type.PASSWORD,
                    null,
                    Importance.MEDIUM,
                    "user:password for HTTP basic auth.")
            .define(
                    AUTO_REGISTER_SCHEMAS_CONFIG,
                    Type.BOOLEAN,
                    true,
                    Importance.MEDIUM,
                    "Whether the serializer registers its schema, or only looks up one already registered.")
            .define(
                    REQUEST_TIMEOUT_MS_CONFIG,
                    Type.INT,
                    10_000,
                    Validators.atLeast(1),
                    Importance.LOW,
                    "Connect and response timeout of one registry request.")
            .define(
                    MAX_RETRIES_CONFIG,
                    Type.INT,
                    3,
                    Validators.atLeast(0),
                    Importance.LOW,
                    "Retries of a request that failed with an IO error, 429 or 5xx.")
            .define(
                    RETRY_BACKOFF_MS_CONFIG,
                    Type.LONG,
                    200L,
                    Validators.atLeast(0),
                    Importance.LOW,
                    "Pause before each retry.")
            .define(
                    NEGATIVE_CACHE_TTL_MS_CONFIG,
                    Type.LONG,
                    60_000L,
                    Validators.atLeast(0),
                    Importance.LOW,
                    "How long a schema id the registry answered with a final no (unknown, not Avro, unparseable, refused "
                            + "with a 4xx) is remembered, so records carrying it cost no request each; 0 remembers nothing. "
                            + "Outages (IO errors, timeouts, 429, 5xx) are never remembered.");

    private final List<URI> urls;
    private final String mockScope;
    private final Password userInfo;
    private final boolean autoRegisterSchemas;
    private final int requestTimeoutMs;
    private final int maxRetries;
    private final long retryBackoffMs;
    private final long negativeCacheTtlMs;

    private SchemaRegistryConfig(
            List<URI> urls,
            String mockScope,
            Password userInfo,
            boolean autoRegisterSchemas,
            int requestTimeoutMs,
            int maxRetries,
            long retryBackoffMs,
            long negativeCacheTtlMs) {
        this.urls = urls;
        this.mockScope = mockScope;
        this.userInfo = userInfo;
        this.autoRegisterSchemas = autoRegisterSchemas;
        this.requestTimeoutMs = requestTimeoutMs;
        this.maxRetries = maxRetries;
        this.retryBackoffMs = retryBackoffMs;
        this.negativeCacheTtlMs = negativeCacheTtlMs;
    }

    /** Parses and validates; throws an {@link InvalidConfigurationException} naming every key and reason. */
    public static SchemaRegistryConfig from(Map<String, ?> configs) {
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigValues values = ConfigValues.parse(CONFIG_DEF, configs, problems);
        checkAcross(values, problems);
        InvalidConfigurationException.throwIfAny(problems);
        List<String> rawUrls = values.getList(URL_CONFIG);
        String mockScope =
                rawUrls.get(0).startsWith(MOCK_SCHEME) ? rawUrls.get(0).substring(MOCK_SCHEME.length()) : null;
        List<URI> urls = mockScope == null
                ? rawUrls.stream().map(SchemaRegistryConfig::baseUri).toList()
                : List.of();
        boolean basicAuth = USER_INFO_SOURCE.equals(values.getString(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG));
        return new SchemaRegistryConfig(
                urls,
                mockScope,
                basicAuth ? values.getPassword(BASIC_AUTH_USER_INFO_CONFIG) : null,
                values.getBoolean(AUTO_REGISTER_SCHEMAS_CONFIG),
                values.getInt(REQUEST_TIMEOUT_MS_CONFIG),
                values.getInt(MAX_RETRIES_CONFIG),
                values.getLong(RETRY_BACKOFF_MS_CONFIG),
                values.getLong(NEGATIVE_CACHE_TTL_MS_CONFIG));
    }

    /** The rules across keys: basic auth needs user:password. */
    public static void checkAcross(ConfigValues values, List<ConfigProblem> problems) {
        if (USER_INFO_SOURCE.equals(values.getString(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG))) {
            Password userInfo = values.getPassword(BASIC_AUTH_USER_INFO_CONFIG);
            if (userInfo == null || userInfo.value().indexOf(':') < 1) {
                problems.add(new ConfigProblem(
                        BASIC_AUTH_USER_INFO_CONFIG,
                        "must be user:password when " + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG + "=" + USER_INFO_SOURCE));
            }
        }
    }

    private static URI baseUri(String raw) {
        return URI.create(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
    }

    /** Either http(s) base URLs or exactly one mock://scope. The URL text is never echoed: it might hold credentials. */
    private static void checkUrls(Object value) {
        @SuppressWarnings("unchecked")
        List<String> rawUrls = (List<String>) value;
        if (rawUrls.isEmpty()) {
            throw new ConfigException("is empty: set the registry base URL, e.g. http://host:8081");
        }
        if (rawUrls.stream().anyMatch(url -> url.startsWith(MOCK_SCHEME))) {
            if (rawUrls.size() != 1) {
                throw new ConfigException("mixes mock:// with other URLs: give exactly one mock://<scope>");
            }
            if (rawUrls.get(0).substring(MOCK_SCHEME.length()).isBlank()) {
                throw new ConfigException("mock:// needs a scope name, e.g. mock://tests");
            }
            return;
        }
        rawUrls.forEach(SchemaRegistryConfig::checkHttp);
    }

    private static void checkHttp(String raw) {
        URI uri;
        try {
            uri = baseUri(raw);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("has an entry that is not a valid URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ConfigException("must not carry credentials: set " + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG + "="
                    + USER_INFO_SOURCE + " and " + BASIC_AUTH_USER_INFO_CONFIG + " instead");
        }
        if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null) {
            throw new ConfigException("expected http(s)://host[:port][/base/path] or mock://<scope>");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigException("a base URL takes no query or fragment");
        }
    }

    /** The HTTP base URLs, in the order to try them; empty for a mock registry. */
    public List<URI> urls() {
        return urls;
    }

    /** The in-memory registry's scope when schema.registry.url is mock://scope. */
    public Optional<String> mockScope() {
        return Optional.ofNullable(mockScope);
    }

    public boolean hasBasicAuth() {
        return userInfo != null;
    }

    public boolean autoRegisterSchemas() {
        return autoRegisterSchemas;
    }

    public int requestTimeoutMs() {
        return requestTimeoutMs;
    }

    public int maxRetries() {
        return maxRetries;
    }

    public long retryBackoffMs() {
        return retryBackoffMs;
    }

    public long negativeCacheTtlMs() {
        return negativeCacheTtlMs;
    }

    /** The Authorization header value; package-private so the credentials leave this package only on the wire. */
    Optional<String> authorizationHeader() {
        if (userInfo == null) {
            return Optional.empty();
        }
        return Optional.of(
                "Basic " + Base64.getEncoder().encodeToString(userInfo.value().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return "SchemaRegistryConfig("
                + URL_CONFIG + "=" + (mockScope != null ? MOCK_SCHEME + mockScope : urls)
                + ", " + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG + "=" + (userInfo != null ? USER_INFO_SOURCE : "none")
                + (userInfo != null ? ", " + BASIC_AUTH_USER_INFO_CONFIG + "=" + Password.HIDDEN : "")
                + ", " + AUTO_REGISTER_SCHEMAS_CONFIG + "=" + autoRegisterSchemas
                + ", " + REQUEST_TIMEOUT_MS_CONFIG + "=" + requestTimeoutMs
                + ", " + MAX_RETRIES_CONFIG + "=" + maxRetries
                + ", " + RETRY_BACKOFF_MS_CONFIG + "=" + retryBackoffMs
                + ", " + NEGATIVE_CACHE_TTL_MS_CONFIG + "=" + negativeCacheTtlMs
                + ")";
    }
}
