package io.kobot.streams.observability;

import io.kobot.schema.deadletter.RejectionReason;
import io.kobot.streams.metrics.PipelineMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exposes {@link PipelineMetrics} as Micrometer function counters: {@value #RECORDS} tagged {@code stage} and
 * {@code outcome} (e.g. {@code ingest.received} is stage ingest, outcome received), and {@value #DEAD_LETTERS}
 * tagged {@code stage} and {@code reason}, and {@value #MISPLACED} tagged {@code topic}. Every known counter (the
 * stage counters and one per reason code the pipeline writes) is registered at once, at 0; a counter that appears
 * later (a reason code from a newer instance, say) is registered by {@link #bindNew()}, which runs before every
 * scrape.
 */
public final class PipelineMeterBinder {
    public static final String RECORDS = "kobot.records";
    public static final String DEAD_LETTERS = "kobot.dead.letters";
    public static final String MISPLACED = "kobot.misplaced.records";

    private final PipelineMetrics metrics;
    private final MeterRegistry registry;
    private final Set<String> bound = ConcurrentHashMap.newKeySet();

    public PipelineMeterBinder(PipelineMetrics metrics, MeterRegistry registry) {
        this(metrics, registry, List.of());
    }

    /** @param sourceTopics the topics whose misplaced records are counted: their counters start at 0 too */
    public PipelineMeterBinder(PipelineMetrics metrics, MeterRegistry registry, List<String> sourceTopics) {
        this.metrics = metrics;
        this.registry = registry;
        List<String> known = new ArrayList<>(knownCounters());
        sourceTopics.forEach(topic -> known.add(PipelineMetrics.MISPLACED_PREFIX + topic));
        known.forEach(name -> {
            if (bound.add(name)) {
                bind(name);
            }
        });
    }

    /** The stage counters and a dead-letter counter per code the pipeline writes: what exists before any record. */
    static List<String> knownCounters() {
        List<String> names = new ArrayList<>(PipelineMetrics.STAGE_COUNTERS);
        for (RejectionReason reason : RejectionReason.ofPipeline()) {
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
        if (name.startsWith(PipelineMetrics.MISPLACED_PREFIX)) {
            FunctionCounter.builder(MISPLACED, metrics, m -> m.count(name))
                    .description("Source records keyed by their join key but in another partition than Kafka "
                            + "Streams places it (another producer partitioner), by topic")
                    .tag("topic", name.substring(PipelineMetrics.MISPLACED_PREFIX.length()))
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
        return RejectionReason.of(reasonCode)
                .map(reason -> reason.stage().label())
                .orElse("unknown");
    }
}
