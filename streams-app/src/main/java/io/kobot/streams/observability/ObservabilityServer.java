package io.kobot.streams.observability;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP endpoints operators and orchestrators use: {@code /metrics} (Prometheus text format),
 * {@code /health/live} and {@code /health/ready} (200 or 503, with a small JSON body giving the Streams state).
 */
public final class ObservabilityServer implements AutoCloseable {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json";

    private final HttpServer server;
    private final ExecutorService executor;

    private ObservabilityServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving on {@code port} (all interfaces; 0 for any free port, as tests use).
     *
     * @param beforeScrape run before each scrape, to register meters that appeared since the last one
     */
    public static ObservabilityServer start(
            int port, PrometheusMeterRegistry registry, StreamsHealth health, Runnable beforeScrape)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/metrics", exchange -> {
            beforeScrape.run();
            respond(exchange, 200, PROMETHEUS_TEXT, registry.scrape());
        });
        server.createContext(
                "/health/live", exchange -> respond(exchange, health.live() ? 200 : 503, JSON, stateJson(health)));
        server.createContext(
                "/health/ready", exchange -> respond(exchange, health.ready() ? 200 : 503, JSON, stateJson(health)));
        // One thread: scrapes and probes are rare and cheap, and must not compete with the stream threads.
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kobot-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        return new ObservabilityServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static String stateJson(StreamsHealth health) {
        String sinkProblem = health.sinkProblem();
        return "{\"state\":\"" + health.state() + "\",\"failed\":" + health.failed() + ",\"sinks\":"
                + (sinkProblem == null
                        ? "\"writable\""
                        : "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(sinkProblem)) + "\"")
                + "}";
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
