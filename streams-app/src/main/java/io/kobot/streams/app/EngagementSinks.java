package io.kobot.streams.app;

import io.kobot.streams.config.PipelineConfig;
import io.kobot.streams.deliver.KochavaDelivery;
import java.util.Optional;

/** The one place where {@code delivery.mode} chooses the topology's last stage. */
public final class EngagementSinks {
    private EngagementSinks() {}

    /**
     * In-topology Kochava delivery for {@code delivery.mode=topology}; none for {@code connect} (a Kafka Connect
     * sink reads {@code topics.engagements}) or {@code none}. The caller closes it after Kafka Streams.
     */
    public static Optional<KochavaDelivery> deliveryFor(PipelineConfig config) {
        switch (config.deliveryMode()) {
            case TOPOLOGY:
                return Optional.of(KochavaDelivery.create(
                        config.topicNames(), config.kochavaClientConfig(), config.deliverySettings()));
            case CONNECT:
            case NONE:
            default:
                return Optional.empty();
        }
    }
}
