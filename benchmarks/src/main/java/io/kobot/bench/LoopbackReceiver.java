package io.kobot.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Kochava stand-in on loopback, built to keep up: keep-alive, TCP_NODELAY, a small worker pool, and no body
 * kept. {@code POST /track/json} answers {@code {"success":"1"}}; {@code GET /ping/<id>} (a tracking URL)
 * answers 200. Each request is counted against its interaction id in the current {@link ReceiptTally}: for
 * an event the {@code "id"} that the workload put first in {@code event_data}, for a ping the path.
 */
final class LoopbackReceiver implements AutoCloseable {
    static final String TRACK_PATH = "/track/json";
    static final String PING_PATH = "/ping/";
    private static final byte[] SUCCESS = "{\"success\":\"1\"}".getBytes(StandardCharsets.ISO_8859_1);
    private static final String EVENT_DATA = "\"event_data\":";
    private static final String ID = "\"id\":\"";

    private final HttpServer server;
    private final ExecutorService workers;
    private volatile ReceiptTally tally = new ReceiptTally(0, 0);

    private LoopbackReceiver(HttpServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    static LoopbackReceiver start(int threads) throws IOException {
        // Read once by the JDK server: without it, small responses wait on Nagle and delayed ACKs.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        ExecutorService workers = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "loopback-receiver");
            thread.setDaemon(true);
            return thread;
        });
        LoopbackReceiver receiver = new LoopbackReceiver(server, workers);
        server.createContext("/", receiver::handle);
        server.setExecutor(workers);
        server.start();
        return receiver;
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    URI trackEndpoint() {
        return baseUri().resolve(TRACK_PATH);
    }

    /** Counts what arrives from now on in {@code next}. */
    void countInto(ReceiptTally next) {
        tally = next;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            long now = System.currentTimeMillis();
            String path = exchange.getRequestURI().getRawPath();
            if ("POST".equals(exchange.getRequestMethod())) {
                countEvents(new String(body, StandardCharsets.UTF_8), now);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, SUCCESS.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(SUCCESS);
                }
            } else {
                count(path.startsWith(PING_PATH) ? parseId(path, PING_PATH.length(), path.length()) : -1, now);
                exchange.sendResponseHeaders(200, -1);
            }
        }
    }

    /** One event per object; an array body (kochava.body-mode=array) holds several. */
    private void countEvents(String body, long now) {
        int from = body.indexOf(EVENT_DATA);
        if (from < 0) {
            tally.unattributed();
        }
        while (from >= 0) {
            int start = body.indexOf(ID, from);
            int end = start < 0 ? -1 : body.indexOf('"', start + ID.length());
            count(end < 0 ? -1 : parseId(body, start + ID.length(), end), now);
            from = body.indexOf(EVENT_DATA, from + EVENT_DATA.length());
        }
    }

    private void count(int id, long now) {
        if (id < 0) {
            tally.unattributed();
        } else {
            tally.received(id, now);
        }
    }

    /** The decimal id in {@code text[from, to)}, up to the first non-digit; -1 if there is none. */
    private static int parseId(String text, int from, int to) {
        int id = 0;
        int i = from;
        for (; i < to && Character.isDigit(text.charAt(i)); i++) {
            id = id * 10 + (text.charAt(i) - '0');
        }
        return i == from ? -1 : id;
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
