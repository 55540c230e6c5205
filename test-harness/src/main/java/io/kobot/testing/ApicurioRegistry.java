package io.kobot.testing;

import io.kobot.devstack.ChildJvm;
import io.kobot.devstack.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry, whose Confluent-compatible API stands in for a Confluent Schema Registry,
 * run from its Maven Central distribution as a child JVM with in-memory storage.
 */
public final class ApicurioRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApicurioRegistry.class);

    static final String VERSION = "2.6.13.Final";
    private static final String HOME_PROPERTY = "apicurio.home";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final int LOG_TAIL_LINES = 40;

    private final Process process;
    private final String baseUrl;
    private final Path logFile;
    private final Thread shutdownHook;

    private ApicurioRegistry(Process process, int port, Path logFile) {
        this.process = process;
        this.baseUrl = "http://127.0.0.1:" + port;
        this.logFile = logFile;
        // A crashed or killed test JVM must not leave the registry running.
        this.shutdownHook = new Thread(process::destroyForcibly, "apicurio-registry-" + port + "-reaper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts Apicurio Registry from the directory in system property apicurio.home (the build
     * unpacks it there), on a free loopback port, and waits until it is ready.
     */
    public static ApicurioRegistry start() {
        long startNs = System.nanoTime();
        Path home = home();
        Path jar = home.resolve("apicurio-registry-app-" + VERSION + "-runner.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No Apicurio Registry at " + jar
                    + "; run through Maven: mvn verify; the build unpacks Apicurio into target/apicurio");
        }
        int port = FreePorts.pick();
        Path logDir = home.resolveSibling("apicurio-logs");
        Path logFile = logDir.resolve("registry-" + port + ".log");
        Process process;
        try {
            Files.createDirectories(logDir);
            process = new ProcessBuilder(ChildJvm.command(
                            // Short-lived and small: favour start-up time over peak throughput.
                            "-XX:TieredStopAtLevel=1",
                            "-Xmx256m",
                            "-Dquarkus.http.port=" + port,
                            "-Dquarkus.http.host=127.0.0.1",
                            "-Dquarkus.log.console.color=false",
                            "-jar",
                            jar.toString()))
                    .directory(logDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to launch Apicurio Registry from " + jar, e);
        }
        ApicurioRegistry registry = new ApicurioRegistry(process, port, logFile);
        try {
            registry.awaitReady();
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        log.info(
                "Apicurio Registry at {} ready in {} ms (log: {})",
                registry.baseUrl,
                (System.nanoTime() - startNs) / 1_000_000,
                logFile);
        return registry;
    }

    /** http://127.0.0.1:PORT */
    public String baseUrl() {
        return baseUrl;
    }

    /** The Confluent Schema Registry API: what schema.registry.url is set to. */
    public String confluentApiUrl() {
        return baseUrl + "/apis/ccompat/v7";
    }

    /**
     * Registers {@code schema} of {@code schemaType} (AVRO, JSON, PROTOBUF) under {@code subject} through the
     * Confluent API, as any producer's serializer would, and returns the global id the registry gave it.
     */
    public int registerSchema(String subject, String schemaType, String schema) {
        String body = "{\"schemaType\":\"" + schemaType + "\",\"schema\":" + jsonString(schema) + "}";
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(confluentApiUrl() + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            java.util.regex.Matcher id =
                    java.util.regex.Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(response.body());
            if (response.statusCode() != 200 || !id.find()) {
                throw new IllegalStateException("Apicurio did not register the " + schemaType + " schema under "
                        + subject + ": HTTP " + response.statusCode() + " " + response.body());
            }
            return Integer.parseInt(id.group(1));
        } catch (IOException e) {
            throw new IllegalStateException("Apicurio Registry unreachable at " + baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while registering a schema", e);
        }
    }

    /**
     * Stores {@code content} as an artifact of {@code artifactType} through Apicurio's own API, which (with no
     * validity rule) takes content the Confluent API would refuse, e.g. an Avro schema that does not parse, as a
     * registry with laxer checks may hold. Returns its id in the Confluent API (Apicurio's content id).
     */
    public int registerUnchecked(String artifactId, String artifactType, String content) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/apis/registry/v2/groups/default/artifacts"))
                .header("Content-Type", "application/json")
                .header("X-Registry-ArtifactType", artifactType)
                .header("X-Registry-ArtifactId", artifactId)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(content))
                .build();
        try {
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"contentId\"\\s*:\\s*(\\d+)")
                    .matcher(response.body());
            if (response.statusCode() != 200 || !id.find()) {
                throw new IllegalStateException("Apicurio did not store artifact " + artifactId + ": HTTP "
                        + response.statusCode() + " " + response.body());
            }
            return Integer.parseInt(id.group(1));
        } catch (IOException e) {
            throw new IllegalStateException("Apicurio Registry unreachable at " + baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while registering a schema", e);
        }
    }

    private static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Closed from another shutdown hook: ours is running or about to, nothing left to do.
        }
    }

    private void awaitReady() {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(confluentApiUrl() + "/subjects"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited with code " + process.exitValue()
                        + " before it was ready; last lines of " + logFile + ":\n" + logTail());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", e);
            }
            sleep(100);
        }
        throw new IllegalStateException("Apicurio Registry at " + baseUrl + " not ready after " + STARTUP_TIMEOUT
                + "; last lines of " + logFile + ":\n" + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static Path home() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null || home.isBlank()) {
            throw new IllegalStateException("System property " + HOME_PROPERTY
                    + " is not set; run through Maven: mvn verify; the build unpacks Apicurio into target/apicurio");
        }
        return Path.of(home).toAbsolutePath();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", e);
        }
    }
}
