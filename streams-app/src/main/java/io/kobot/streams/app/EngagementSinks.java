package io.kobot.streams.app;

import io.kobot.streams.config.PipelineConfig;
import io.kobot.streams.metrics.PipelineMetrics;
import io.kobot.streams.topology.EngagementSink;

/** The one place where {@code delivery.mode} chooses the topology's last stage. */
public final class EngagementSinks {
    private EngagementSinks() {
    }

    public static EngagementSink forMode(PipelineConfig config, PipelineMetrics metrics) {
        switch (config.deliveryMode()) {
            case TOPOLOGY:
                // Integration point for the in-topology Kochava delivery sink (io.kobot.streams.deliver, issue 4):
                // return it here, built from config.deliveryProperties(). Until then nothing is delivered.
                return EngagementSink.NONE;
            case CONNECT:
            case NONE:
            default:
                return EngagementSink.NONE;
        }
    }

    /** Whether {@code sink} sends anything to Kochava (the demo reports deliveries only then). */
    public static boolean delivers(EngagementSink sink) {
        return sink != EngagementSink.NONE;
    }
}
