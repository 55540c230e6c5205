package io.kobot.streams.observability;

import io.kobot.streams.ingest.RejectionReason;
import io.kobot.streams.metrics.PipelineMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exposes {@link PipelineMetrics} as Micrometer function counters: {@value #RECORDS} tagged {@code stage} and
 * {@code outcome} (e.g. {@code ingest.received} is stage ingest, outcome received), and {@value #DEAD_LETTERS}
 * tagged {@code stage} and {@code reason}. Every known counter (the stage counters and one per reason code) is
 * registered at once, at 0; a counter that appears later (a reason code from a newer instance, say) is registered
 * by {@link #bindNew()}, which runs before every scrape.
 */
public final class PipelineMeterBinder {
    public static final String RECORDS = "kobot.records";
    public static final String DEAD_LETTERS = "kobot.dead.letters";

    private final PipelineMetrics metrics;
    private final MeterRegistry registry;
    private final Set<String> bound = ConcurrentHashMap.newKeySet();

    public PipelineMeterBinder(PipelineMetrics metrics, MeterRegistry registry) {
        this.metrics = metrics;
        this.registry = registry;
        knownCounters().forEach(name -> {
            if (bound.add(name)) {
                bind(name);
            }
        });
    }

    /** The stage counters and a dead-letter counter per reason code: what exists before any record. */
    static List<String> knownCounters() {
        List<String> names = new ArrayList<>(PipelineMetrics.STAGE_COUNTERS);
        for (RejectionReason reason : RejectionReason.values()) {
            names.add(PipelineMetrics.DEAD_LETTER_PREFIX + reason.name());
        }
        return names;
    }

    public void bindNew() {
        for (String name : metrics.snapshot().keySet()) {
            if (bound.add(name)) {
                bind(name);
            }
        }
    }

    private void bind(String name) {
        if (name.startsWith(PipelineMetrics.DEAD_LETTER_PREFIX)) {
            String reason = name.substring(PipelineMetrics.DEAD_LETTER_PREFIX.length());
            FunctionCounter.builder(DEAD_LETTERS, metrics, m -> m.count(name))
                    .description("Records dead-lettered, by stage and reason code")
                    .tag("stage", stageOf(reason))
                    .tag("reason", reason)
                    .register(registry);
            return;
        }
        int dot = name.indexOf('.');
        FunctionCounter.builder(RECORDS, metrics, m -> m.count(name))
                .description("Records through each pipeline stage, by outcome")
                .tag("stage", dot < 0 ? name : name.substring(0, dot))
                .tag("outcome", dot < 0 ? "count" : name.substring(dot + 1))
                .register(registry);
    }

    private static String stageOf(String reasonCode) {
        return Arrays.stream(RejectionReason.values())
                .filter(reason -> reason.name().equals(reasonCode))
                .findFirst()
                .map(reason -> reason.stage().label())
                .orElse("unknown");
    }
}
