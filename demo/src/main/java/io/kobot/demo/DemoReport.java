package io.kobot.demo;

import io.kobot.devstack.kochava.ReceivedRequest;
import java.util.List;
import java.util.Map;

/**
 * What a demo run observed, beside what its sample expected.
 *
 * @param expected           what the pipeline must make of the sample
 * @param counters           the pipeline's own counters ({@link io.kobot.streams.metrics.PipelineMetrics})
 * @param engagementsRead    engagements read back from the engagements topic
 * @param deadLettersRead    dead letters read back from the dead-letter topic, by reason code
 * @param delivering         whether the pipeline had a delivery sink
 * @param receiver           requests the local receiver got; empty with an external endpoint
 * @param pipelineLatencies  ms from ingested_at until each engagement could be read
 * @param deliveryLatencies  ms from ingested_at until the receiver got the engagement's request
 * @param wallMillis         from the start of the demo to the last output
 * @param complete           whether every expected output arrived in time
 */
record DemoReport(
        DemoInput.Expected expected,
        Map<String, Long> counters,
        int engagementsRead,
        Map<String, Integer> deadLettersRead,
        boolean delivering,
        List<ReceivedRequest> receiver,
        List<Long> pipelineLatencies,
        List<Long> deliveryLatencies,
        long wallMillis,
        boolean complete) {
    long posts() {
        return receiver.stream().filter(r -> r.method().equals("POST")).count();
    }

    long pings() {
        return receiver.stream().filter(r -> r.method().equals("GET")).count();
    }

    long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }
}
