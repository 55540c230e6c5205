package io.kobot.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for Kochava on loopback: {@code POST /track/json} answers {@code {"success":"1"}} as Kochava
 * does, and any GET (an impression or click tracking URL) answers 302 as a SmartLink does. It records what it
 * received, with the time of receipt.
 */
final class KochavaReceiver implements AutoCloseable {
    static final String TRACK_PATH = "/track/json";

    /** One request as received. */
    record Request(String method, String uri, String body, long receivedAtMillis) {}

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Request> requests = new ArrayList<>();

    private KochavaReceiver(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static KochavaReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "kochava-receiver");
            thread.setDaemon(true);
            return thread;
        });
        KochavaReceiver receiver = new KochavaReceiver(server, executor);
        server.createContext("/", receiver::handle);
        server.setExecutor(executor);
        server.start();
        return receiver;
    }

    /** The events endpoint, for {@code kochava.endpoint}. */
    URI endpoint() {
        return baseUri().resolve(TRACK_PATH);
    }

    URI baseUri() {
        // A host name, not an IP literal: tracking URLs name it, and kochava.ping.allowed-hosts only takes names.
        return URI.create("http://localhost:" + server.getAddress().getPort() + "/");
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String method = exchange.getRequestMethod();
            synchronized (this) {
                requests.add(
                        new Request(method, exchange.getRequestURI().toString(), body, System.currentTimeMillis()));
            }
            if ("POST".equals(method) && exchange.getRequestURI().getPath().equals(TRACK_PATH)) {
                byte[] response = "{\"success\":\"1\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, response.length);
                exchange.getResponseBody().write(response);
            } else {
                exchange.getResponseHeaders().set("Location", "https://example.com/app-store");
                exchange.sendResponseHeaders(302, -1);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
