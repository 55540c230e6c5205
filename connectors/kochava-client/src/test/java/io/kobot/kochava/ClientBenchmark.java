package io.kobot.kochava;

import com.sun.management.OperatingSystemMXBean;
import io.kobot.devstack.tls.SelfSignedCertificate;
import io.kobot.schema.DeliveryOutcome;
import io.kobot.schema.InteractionType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Kochava client alone against a server 50 ms away (HttpCore's server in a JVM of its own, answering every
 * request after {@code --delay-ms}), so that this JVM's CPU and heap are the client's:
 *
 * <ul>
 *   <li>{@code http1}: HTTP/1.1 with {@code --connections} pooled connections and as many requests in flight: the
 *       throughput, the client's CPU per request, the heap per open connection, and the latency of pings sent
 *       meanwhile (their own pool: they must not wait for the POSTs);</li>
 *   <li>{@code h2}: HTTP/2 negotiated by ALPN over TLS, {@code --h2-connections} x {@code --h2-streams}: the
 *       throughput and CPU per request, and the connections it took; {@code h2c}: the same in plain text, with
 *       prior knowledge.</li>
 * </ul>
 *
 * <p>Run from {@code connectors/kochava-client} after {@code mvn test-compile} and {@code mvn dependency:build-classpath
 * -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test}: {@code java -cp target/test-classes:target/classes:$(cat cp.txt)
 * io.kobot.kochava.ClientBenchmark http1 --connections 1024 --seconds 20}.
 */
public final class ClientBenchmark {

    private final Map<String, String> options;
    private final String scenario;
    /** When the first request, and the 1,000th, was delivered (System.nanoTime): how fast the pool filled. */
    private final AtomicLong firstDeliveredAt = new AtomicLong();

    private final AtomicLong thousandthDeliveredAt = new AtomicLong();

    private ClientBenchmark(String[] args) {
        scenario = args.length > 0 ? args[0] : "http1";
        options = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }

    public static void main(String[] args) throws Exception {
        new ClientBenchmark(args).run();
    }

    private int option(String name, int fallback) {
        return Integer.parseInt(options.getOrDefault(name, String.valueOf(fallback)));
    }

    private void run() throws Exception {
        int delay = option("delay-ms", 50);
        int seconds = option("seconds", 20);
        int connections = option("connections", 1024);
        int h2Connections = option("h2-connections", 4);
        int h2Streams = option("h2-streams", 256);
        boolean tls = !options.getOrDefault("tls", scenario.equals("h2") ? "true" : "false")
                .equals("false");
        boolean http2 = !scenario.equals("http1");
        int inFlight = option("in-flight", http2 ? h2Connections * h2Streams : connections);

        Path dir = Files.createTempDirectory("kobot-bench");
        Path store = tls ? SelfSignedCertificate.create(dir).keyStorePath() : null;
        Process server = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx1g",
                        "-cp",
                        System.getProperty("java.class.path"),
                        H2TestServer.class.getName(),
                        switch (scenario) {
                            case "h2" -> "negotiate";
                            case "h2c" -> "h2";
                            default -> "http1";
                        },
                        store == null ? "-" : store.toString(),
                        String.valueOf(delay),
                        String.valueOf(Math.max(h2Streams, 100)))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("port="))
                throw new IllegalStateException("server did not start: " + line);
            String base = (tls ? "https" : "http") + "://localhost:" + line.substring("port=".length());
            Map<String, String> props = new HashMap<>();
            props.put("kochava.endpoint", base + "/track/json");
            props.put("kochava.ping.allowed-hosts", "localhost");
            props.put("kochava.allow-private-addresses", "true");
            props.put(
                    "delivery.http.version-policy",
                    switch (scenario) {
                        case "h2" -> "negotiate";
                        case "h2c" -> "h2-prior-knowledge";
                        default -> "http1";
                    });
            props.put("delivery.max-connections", String.valueOf(connections));
            props.put("delivery.max-in-flight", String.valueOf(inFlight));
            props.put("delivery.h2.max-connections", String.valueOf(h2Connections));
            props.put("delivery.h2.max-concurrent-streams", String.valueOf(h2Streams));
            props.put("delivery.connect-timeout", "PT10S");
            props.put("delivery.request-timeout", "PT30S");
            if (options.containsKey("max-opening-connections"))
                props.put("delivery.max-opening-connections", options.get("max-opening-connections"));
            KochavaClientConfig config = KochavaClientConfig.from(props);
            measure(config, base, tls ? SelfSignedCertificate.load(store).clientContext() : null, inFlight, seconds);
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly();
        }
    }

    private void measure(
            KochavaClientConfig config, String base, javax.net.ssl.SSLContext trust, int inFlight, int seconds)
            throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicDeliveryMetrics metrics = new AtomicDeliveryMetrics();
        KochavaDeliverer deliverer = new KochavaDeliverer(config, metrics, new EveryNameOnLoopback(), trust);
        long heapBefore = settledHeap(memory);
        int socketsBefore = sockets();

        Semaphore window = new Semaphore(inFlight * 2);
        AtomicLong delivered = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Long> pingMicros = Collections.synchronizedList(new ArrayList<>());
        Thread pinger = new Thread(() -> ping(deliverer, base, pingMicros), "bench-pinger");

        // Warm-up: a quarter of the time, not counted.
        long warmUpEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(2, seconds / 4));
        long warmUpStart = System.nanoTime();
        feed(deliverer, window, delivered, failed, warmUpEnd);
        // The warm-up fills the pool: with TLS, that is where opening many connections at once shows.
        System.out.printf(
                Locale.ROOT,
                "warm-up (the pool fills; not measured): %d delivered, %d requests, %d retries, %d failed in %.1f s;"
                        + " first delivered after %s, 1,000th after %s%n",
                delivered.get(),
                metrics.requests(),
                metrics.retries(),
                failed.get(),
                (System.nanoTime() - warmUpStart) / 1e9,
                since(warmUpStart, firstDeliveredAt.get()),
                since(warmUpStart, thousandthDeliveredAt.get()));
        long startCpu = os.getProcessCpuTime();
        long startDelivered = delivered.get();
        long start = System.nanoTime();
        pinger.start();
        int peakSockets = 0;
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            feed(deliverer, window, delivered, failed, Math.min(end, System.nanoTime() + 500_000_000L));
            peakSockets = Math.max(peakSockets, sockets() - socketsBefore);
        }
        long elapsed = System.nanoTime() - start;
        long count = delivered.get() - startDelivered;
        long cpu = os.getProcessCpuTime() - startCpu;
        pinger.interrupt();
        pinger.join();
        window.acquire(inFlight * 2);
        // The connections stay open in the pool (evicted after 30 s idle): the heap now holds them, idle.
        int openSockets = sockets() - socketsBefore;
        long heapAfter = settledHeap(memory);

        System.out.printf(
                Locale.ROOT,
                "scenario=%s policy=%s in-flight=%d connections(http1)=%d h2=%dx%d max-opening=%d load average %s%n",
                scenario,
                config.httpVersionPolicy(),
                inFlight,
                config.maxConnections(),
                config.h2MaxConnections(),
                config.h2MaxConcurrentStreams(),
                config.maxOpeningConnections(),
                Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.printf(
                Locale.ROOT,
                "delivered=%d in %.1f s = %.0f requests/s (failed %d); client CPU %.1f us/request (%.2f cores)%n",
                count,
                elapsed / 1e9,
                count / (elapsed / 1e9),
                failed.get(),
                cpu / 1e3 / Math.max(1, count),
                (double) cpu / elapsed);
        System.out.printf(
                Locale.ROOT,
                "sockets: peak %d, open after the run %d; heap %.1f MiB before, %.1f MiB after = %.1f KiB per open"
                        + " socket%n",
                peakSockets,
                openSockets,
                heapBefore / 1048576.0,
                heapAfter / 1048576.0,
                (heapAfter - heapBefore) / 1024.0 / Math.max(1, openSockets));
        List<Long> pings = new ArrayList<>(pingMicros);
        Collections.sort(pings);
        if (!pings.isEmpty())
            System.out.printf(
                    Locale.ROOT,
                    "pings meanwhile: %d, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    pings.size(),
                    pings.get(pings.size() / 2) / 1e3,
                    pings.get((int) Math.min(pings.size() - 1, Math.ceil(pings.size() * 0.99) - 1)) / 1e3,
                    pings.get(pings.size() - 1) / 1e3);
        deliverer.close();
    }

    /** Seconds from {@code start} to {@code at}, or "-" when it has not happened. */
    private static String since(long start, long at) {
        return at == 0 ? "-" : String.format(Locale.ROOT, "%.1f s", (at - start) / 1e9);
    }

    private void feed(KochavaDeliverer deliverer, Semaphore window, AtomicLong delivered, AtomicLong failed, long until)
            throws InterruptedException {
        long n = 0;
        while (System.nanoTime() < until) {
            if (!window.tryAcquire(10, TimeUnit.MILLISECONDS)) continue;
            deliverer
                    .deliver(Engagements.event("bench-" + n++, "app", "fb-" + n).build())
                    .whenComplete((result, error) -> {
                        if (result != null && result.outcome() == DeliveryOutcome.DELIVERED) {
                            long count = delivered.incrementAndGet();
                            if (count == 1) firstDeliveredAt.set(System.nanoTime());
                            if (count == 1_000) thousandthDeliveredAt.set(System.nanoTime());
                        } else failed.incrementAndGet();
                        window.release();
                    });
        }
    }

    /** A ping every 50 ms, through the pings' own pool, while the POSTs fill theirs. */
    private static void ping(KochavaDeliverer deliverer, String base, List<Long> micros) {
        int n = 0;
        while (!Thread.currentThread().isInterrupted()) {
            long start = System.nanoTime();
            CompletableFuture<DeliveryResult> result =
                    deliverer.deliver(Engagements.ping(InteractionType.IMPRESSION, base + "/imp?n=" + n++, "fb-ping")
                            .build());
            try {
                if (result.get(30, TimeUnit.SECONDS).outcome() == DeliveryOutcome.DELIVERED)
                    micros.add((System.nanoTime() - start) / 1_000);
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                micros.add(Long.MAX_VALUE / 2);
            }
        }
    }

    private static long settledHeap(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Open sockets of this JVM (Linux). */
    private static int sockets() {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.filter(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .count();
        } catch (IOException e) {
            return -1;
        }
    }
}
