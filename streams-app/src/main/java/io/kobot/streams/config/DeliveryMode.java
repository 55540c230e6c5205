package io.kobot.streams.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Where engagements are delivered to Kochava ({@code delivery.mode}). */
public enum DeliveryMode {
    /** By the delivery sink inside the pipeline. */
    TOPOLOGY,
    /** By a Kafka Connect sink reading the engagements topic; the pipeline only writes that topic. */
    CONNECT,
    /** Not at all (replay, dry runs). */
    NONE;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static DeliveryMode fromConfigName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    static List<String> names() {
        return Arrays.stream(values()).map(DeliveryMode::configName).toList();
    }
}
