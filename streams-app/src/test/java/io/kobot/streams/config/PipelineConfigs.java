package io.kobot.streams.config;

import io.kobot.testing.KafkaBroker;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The raw configuration of one pipeline a test runs against a shared broker: its own application id, registry
 * scope and topics (created at start), so that tests sharing the broker never meet; tests change what they test.
 */
public final class PipelineConfigs {
    /** Nothing listens on the discard port: a test that delivers sets its own endpoint. */
    private static final String NO_KOCHAVA = "http://127.0.0.1:9/track/json";

    private PipelineConfigs() {}

    /**
     * A mutable map for a run named {@code name}: application id {@code name-<random>}, topics {@code
     * name-in-<random>}, {@code name-links-…}, {@code name-engagements-…}, {@code name-deliveries-…}, {@code
     * name-dlq-…}, an in-memory registry, any free HTTP port.
     */
    public static Map<String, String> forRun(String name, KafkaBroker broker, Path stateDir) {
        String run = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        String suffix = run.substring(name.length());
        Map<String, String> raw = new TreeMap<>();
        raw.put("application.id", run);
        raw.put("bootstrap.servers", broker.bootstrapServers());
        raw.put("schema.registry.url", "mock://" + run);
        raw.put("topics.interactions", name + "-in" + suffix);
        raw.put("topics.identity-links", name + "-links" + suffix);
        raw.put("topics.engagements", name + "-engagements" + suffix);
        raw.put("topics.deliveries", name + "-deliveries" + suffix);
        raw.put("topics.dead-letters", name + "-dlq" + suffix);
        raw.put("topics.create", "true");
        raw.put("http.port", "0");
        raw.put("state.dir", stateDir.toString());
        raw.put("kochava.endpoint", NO_KOCHAVA);
        return raw;
    }
}
