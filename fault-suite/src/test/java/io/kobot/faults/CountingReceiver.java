package io.kobot.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kochava stand-in on loopback that counts, per interaction id, the requests it answered with success:
 * {@code POST /track/json} gets {@code {"success":"1"}} (the id is read from {@code event_data.fault_id}) and
 * {@code GET /t/<id>} (a tracking URL) gets a 302, as a SmartLink answers. Requests answered with a failure are
 * counted apart: the sender retries them, so they are neither deliveries nor duplicates.
 *
 * <p>Faults: {@link #answer503()} fails every request, {@link #refuseConnections()} closes the port, and
 * {@link #serve()} serves again on the same port (tracking URLs name it).
 */
final class CountingReceiver implements AutoCloseable {
    /** A host name, as kochava.ping.allowed-hosts takes no IP address; it resolves to loopback. */
    static final String HOST = "localhost";

    static final String TRACK_PATH = "/track/json";
    private static final String TRACKING_PREFIX = "/t/";
    private static final Pattern FAULT_ID = Pattern.compile("\"fault_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final byte[] SUCCESS = "{\"success\":\"1\"}".getBytes(StandardCharsets.UTF_8);

    private enum Mode {
        SERVE,
        FAIL_503,
        DOWN
    }

    /** One successful answer: which interaction, and when ({@link System#nanoTime()}). */
    record Receipt(String id, long nanos) {}

    private int port;
    private final ExecutorService executor = Executors.newFixedThreadPool(16, runnable -> {
        Thread thread = new Thread(runnable, "counting-receiver");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, AtomicLong> delivered = new ConcurrentHashMap<>();
    private final AtomicLong failedAnswers = new AtomicLong();
    private final AtomicLong unrecognised = new AtomicLong();
    private final RateMeter rate = new RateMeter();
    private final Queue<Receipt> receipts = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.SERVE);
    private final Map<String, Long> firstDeliveredAtMillis = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private HttpServer server;

    private CountingReceiver() {}

    static CountingReceiver start() {
        CountingReceiver receiver = new CountingReceiver();
        receiver.bind(0);
        receiver.port = receiver.server.getAddress().getPort();
        receiver.startServing();
        return receiver;
    }

    /** kochava.endpoint */
    URI endpoint() {
        return URI.create("http://" + HOST + ":" + port + TRACK_PATH);
    }

    /** A tracking URL that identifies one impression or click. */
    String trackingUrl(String interactionId) {
        return "http://" + HOST + ":" + port + TRACKING_PREFIX + interactionId + "?campaign=faults";
    }

    synchronized void serve() {
        if (mode.getAndSet(Mode.SERVE) == Mode.DOWN) {
            bindWithRetries();
            startServing();
        }
    }

    private void startServing() {
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    void answer503() {
        if (mode.get() == Mode.DOWN) {
            serve();
        }
        mode.set(Mode.FAIL_503);
    }

    synchronized void refuseConnections() {
        if (mode.getAndSet(Mode.DOWN) != Mode.DOWN) {
            server.stop(0);
        }
    }

    /** Answers 503 to the requests of {@code interactionId} only, until {@link #stopFailing}. */
    void fail(String interactionId) {
        failing.add(interactionId);
    }

    void stopFailing(String interactionId) {
        failing.remove(interactionId);
    }

    /** When each interaction was first answered with success (epoch milliseconds). */
    Map<String, Long> firstDeliveredAt() {
        return Map.copyOf(firstDeliveredAtMillis);
    }

    /** Successful answers in all, repeats included. */
    long successfulAnswers() {
        return delivered.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Successful answers per interaction id, as a snapshot. */
    Map<String, Long> deliveries() {
        Map<String, Long> snapshot = new HashMap<>();
        delivered.forEach((id, count) -> snapshot.put(id, count.get()));
        return snapshot;
    }

    /** Every successful answer so far, duplicates included, in about the order given. */
    List<Receipt> receipts() {
        return List.copyOf(receipts);
    }

    int distinctDelivered() {
        return delivered.size();
    }

    long failedAnswers() {
        return failedAnswers.get();
    }

    long unrecognised() {
        return unrecognised.get();
    }

    /** The most successful answers given within any one second so far. */
    long peakPerSecond() {
        return rate.peak();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (mode.get() != Mode.SERVE) {
                failedAnswers.incrementAndGet();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if ("POST".equals(exchange.getRequestMethod()) && TRACK_PATH.equals(path)) {
                String id = eventId(body);
                if (id != null && failing.contains(id)) {
                    failedAnswers.incrementAndGet();
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                count(id);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, SUCCESS.length);
                exchange.getResponseBody().write(SUCCESS);
            } else {
                count(path.startsWith(TRACKING_PREFIX) ? path.substring(TRACKING_PREFIX.length()) : null);
                exchange.getResponseHeaders().set("Location", "https://example.com/app-store");
                exchange.sendResponseHeaders(302, -1);
            }
        }
    }

    private static String eventId(String body) {
        Matcher matcher = FAULT_ID.matcher(body);
        return matcher.find() ? matcher.group(1) : null;
    }

    private void count(String id) {
        if (id == null) {
            unrecognised.incrementAndGet();
            return;
        }
        firstDeliveredAtMillis.putIfAbsent(id, System.currentTimeMillis());
        delivered.computeIfAbsent(id, key -> new AtomicLong()).incrementAndGet();
        receipts.add(new Receipt(id, System.nanoTime()));
        rate.tick();
    }

    /** The port may linger for a moment after a stop; the tracking URLs need this very port back. */
    private void bindWithRetries() {
        for (int attempt = 1; ; attempt++) {
            try {
                bind(port);
                return;
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof BindException) || attempt == 50) {
                    throw e;
                }
                sleep(100);
            }
        }
    }

    private void bind(int onPort) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 128);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (mode.getAndSet(Mode.DOWN) != Mode.DOWN) {
            server.stop(0);
        }
        executor.shutdownNow();
    }
}
