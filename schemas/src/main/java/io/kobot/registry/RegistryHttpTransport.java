package io.kobot.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.net.URIBuilder;
import org.apache.hc.core5.util.Timeout;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends Confluent Schema Registry REST requests over a pooled HTTP client: basic auth on every request, the next
 * URL on an IO error, 429 or 5xx, and bounded retries with a fixed backoff. Any other answer goes back to the caller,
 * which knows what a 404 or 409 means for its endpoint.
 */
final class RegistryHttpTransport implements Closeable {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger log = LoggerFactory.getLogger(RegistryHttpTransport.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ContentType REQUEST_CONTENT_TYPE = ContentType.create(CONTENT_TYPE, StandardCharsets.UTF_8);
    private static final String ACCEPT = CONTENT_TYPE + ", application/json";
    private static final int MAX_EXCERPT_CHARS = 200;

    /** A registry answer that is final for this request: 2xx or a 4xx other than 429. */
    record Response(int status, JsonNode body, String text) {

        boolean isSuccess() {
            return status >= 200 && status < 300;
        }

        /** The registry's error_code, or -1 when the body has none. */
        int errorCode() {
            return body.path("error_code").asInt(-1);
        }

        /** The registry's message, else the start of the body. */
        String message() {
            return body.path("message").asText(text);
        }
    }

    private final CloseableHttpClient http;
    private final List<URI> urls;
    private final String authorization;
    private final int maxRetries;
    private final long retryBackoffMs;
    // Sticks to the last URL that answered, so a dead first URL costs one failure, not one per request.
    private final AtomicInteger preferredUrl = new AtomicInteger();

    RegistryHttpTransport(SchemaRegistryConfig config) {
        Timeout timeout = Timeout.ofMilliseconds(config.requestTimeoutMs());
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(timeout)
                                .setSocketTimeout(timeout)
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(timeout)
                        .setResponseTimeout(timeout)
                        .build())
                // Retries are ours: bounded, counted, and across URLs.
                .disableAutomaticRetries()
                .build();
        this.urls = config.urls();
        this.authorization = config.authorizationHeader().orElse(null);
        this.maxRetries = config.maxRetries();
        this.retryBackoffMs = config.retryBackoffMs();
    }

    Response get(String action, String... pathSegments) {
        return execute(action, "GET", null, pathSegments);
    }

    Response post(String action, Object jsonBody, String... pathSegments) {
        try {
            return execute(action, "POST", JSON.writeValueAsString(jsonBody), pathSegments);
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException("Could not write the request body for " + action, e);
        }
    }

    private Response execute(String action, String method, String body, String[] pathSegments) {
        String lastFailure = null;
        Exception lastCause = null;
        int attempts = maxRetries + 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                log.warn(
                        "Schema Registry request failed while {} (attempt {}/{}): {}; retrying in {} ms",
                        action,
                        attempt - 1,
                        attempts,
                        lastFailure,
                        retryBackoffMs);
                pause();
            }
            int first = preferredUrl.get();
            for (int i = 0; i < urls.size(); i++) {
                int index = (first + i) % urls.size();
                URI base = urls.get(index);
                try {
                    Response response = send(method, uri(base, pathSegments, action), body);
                    if (!isRetriable(response.status())) {
                        preferredUrl.set(index);
                        return response;
                    }
                    lastFailure = base + " answered HTTP " + response.status()
                            + (response.message().isEmpty() ? "" : " " + response.message());
                    lastCause = null;
                } catch (IOException e) {
                    lastFailure = base + ": " + e;
                    lastCause = e;
                }
            }
        }
        throw new SchemaRegistryUnavailableException(
                "Schema Registry unavailable while " + action + " after " + attempts
                        + " attempt(s), last failure: " + lastFailure + "; check that "
                        + SchemaRegistryConfig.URL_CONFIG
                        + " is reachable and the registry is up, or raise " + SchemaRegistryConfig.MAX_RETRIES_CONFIG,
                lastCause);
    }

    private static boolean isRetriable(int status) {
        return status == 429 || status >= 500;
    }

    private Response send(String method, URI uri, String body) throws IOException {
        ClassicRequestBuilder builder =
                ClassicRequestBuilder.create(method).setUri(uri).addHeader(HttpHeaders.ACCEPT, ACCEPT);
        if (authorization != null) {
            builder.addHeader(HttpHeaders.AUTHORIZATION, authorization);
        }
        if (body != null) {
            builder.setEntity(body, REQUEST_CONTENT_TYPE);
        }
        ClassicHttpRequest request = builder.build();
        return http.execute(request, httpResponse -> {
            String text = httpResponse.getEntity() == null
                    ? ""
                    : EntityUtils.toString(httpResponse.getEntity(), StandardCharsets.UTF_8);
            return new Response(httpResponse.getCode(), parse(text), excerpt(text));
        });
    }

    private static JsonNode parse(String text) {
        if (text.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // A proxy's HTML error page, say: the status and the excerpt still tell what happened.
            return MissingNode.getInstance();
        }
    }

    private static String excerpt(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= MAX_EXCERPT_CHARS ? flat : flat.substring(0, MAX_EXCERPT_CHARS) + "...";
    }

    private static URI uri(URI base, String[] pathSegments, String action) {
        try {
            return new URIBuilder(base).appendPathSegments(pathSegments).build();
        } catch (URISyntaxException e) {
            throw new SchemaRegistryException(
                    "Could not build the request URI for " + action + ": " + e.getReason(), e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(retryBackoffMs);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
    }

    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
    }
}
