package io.kobot.streams.observability;

import org.apache.kafka.streams.KafkaStreams;

/**
 * Liveness and readiness of one Kafka Streams instance. Ready only while RUNNING (not while rebalancing, so a
 * load balancer or a rolling upgrade waits for it); live until Streams fails, not during an orderly shutdown.
 */
public final class StreamsHealth implements KafkaStreams.StateListener {
    private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;
    private volatile boolean failed;

    @Override
    public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        state = newState;
        if (newState == KafkaStreams.State.ERROR || newState == KafkaStreams.State.PENDING_ERROR) {
            failed = true;
        }
    }

    /** For failures Streams does not report as a state, e.g. a thread-replacement budget used up. */
    public void markFailed() {
        failed = true;
    }

    public KafkaStreams.State state() {
        return state;
    }

    public boolean failed() {
        return failed;
    }

    public boolean live() {
        return !failed;
    }

    public boolean ready() {
        return !failed && state == KafkaStreams.State.RUNNING;
    }
}
