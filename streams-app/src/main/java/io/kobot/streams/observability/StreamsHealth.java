package io.kobot.streams.observability;

import org.apache.kafka.streams.KafkaStreams;

/**
 * Liveness and readiness of one Kafka Streams instance. Ready only while RUNNING (not while rebalancing, so a
 * load balancer or a rolling upgrade waits for it) and while its sinks can write (see {@link SinkWritability}):
 * ready means able to deliver. Live until Streams fails, not during an orderly shutdown.
 */
public final class StreamsHealth implements KafkaStreams.StateListener {
    private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;
    private volatile boolean failed;
    /** Why the sinks cannot write; null while they can. */
    private volatile String sinkProblem;

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

    /** @return whether this changes the verdict */
    public boolean sinksWritable() {
        boolean changed = sinkProblem != null;
        sinkProblem = null;
        return changed;
    }

    /** @return whether this changes the verdict */
    public boolean sinksBlocked(String problem) {
        boolean changed = sinkProblem == null;
        sinkProblem = problem;
        return changed;
    }

    /** Why the sinks cannot write, or null while they can. */
    public String sinkProblem() {
        return sinkProblem;
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
        return !failed && state == KafkaStreams.State.RUNNING && sinkProblem == null;
    }
}
