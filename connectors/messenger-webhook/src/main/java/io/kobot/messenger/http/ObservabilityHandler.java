package io.kobot.messenger.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.io.HttpRequestHandler;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * {@code /metrics} (Prometheus text format), {@code /health/live} and {@code /health/ready} (200 or 503 with a small
 * JSON body), on the pipeline's conventions. Live while the process serves; ready while the interactions topic can
 * be reached.
 */
public final class ObservabilityHandler implements HttpRequestHandler {
    private static final ContentType PROMETHEUS_TEXT = ContentType.parse("text/plain; version=0.0.4; charset=utf-8");

    private final PrometheusMeterRegistry registry;
    private final Supplier<String> notReadyBecause;

    /** @param notReadyBecause why the intake cannot publish now, or null when it can */
    public ObservabilityHandler(PrometheusMeterRegistry registry, Supplier<String> notReadyBecause) {
        this.registry = registry;
        this.notReadyBecause = notReadyBecause;
    }

    @Override
    public void handle(ClassicHttpRequest request, ClassicHttpResponse response, HttpContext context) {
        String path = request.getPath() == null ? "" : request.getPath().replaceFirst("\\?.*", "");
        switch (path) {
            case "/metrics" -> {
                response.setCode(HttpStatus.SC_OK);
                response.setEntity(new StringEntity(registry.scrape(), PROMETHEUS_TEXT));
            }
            case "/health/live" -> {
                response.setCode(HttpStatus.SC_OK);
                response.setEntity(new StringEntity("{\"state\":\"RUNNING\"}", ContentType.APPLICATION_JSON));
            }
            case "/health/ready" -> {
                String problem = notReadyBecause.get();
                response.setCode(problem == null ? HttpStatus.SC_OK : HttpStatus.SC_SERVICE_UNAVAILABLE);
                response.setEntity(new StringEntity(readyJson(problem), ContentType.APPLICATION_JSON));
            }
            default -> response.setCode(HttpStatus.SC_NOT_FOUND);
        }
    }

    private static String readyJson(String problem) {
        String broker = problem == null
                ? "reachable"
                : new String(JsonStringEncoder.getInstance().quoteAsString(problem));
        return "{\"state\":\"RUNNING\",\"broker\":\"" + broker + "\"}";
    }
}
