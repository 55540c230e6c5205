package io.kobot.bench;

import io.kobot.devstack.kochava.KochavaStandIn;
import io.kobot.devstack.kochava.PositionTally;
import io.kobot.devstack.kochava.StandInOptions;
import io.kobot.devstack.sample.Crc32Partitioner;
import io.kobot.devstack.sample.Interactions;
import io.kobot.devstack.sample.Publisher;
import io.kobot.devstack.tls.SelfSignedCertificate;
import io.kobot.kochava.KochavaClientConfig;
import io.kobot.streams.topology.TopicNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark: in one run on this machine, the broker's ceiling, the topology alone, the HTTP ceiling, the full
 * pipeline end to end, the latency at a fixed load and a naive baseline, with the targets of issue 6.
 */
@Command(
        name = "kobot-bench",
        mixinStandardHelpOptions = true,
        description = "Measures kobot against a real broker (child JVM) and a loopback Kochava receiver.")
public final class BenchMain implements Callable<Integer> {
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(10);

    @Option(names = "--records", description = "Raw interactions per throughput phase (default ${DEFAULT-VALUE}).")
    int records = 1_000_000;

    @Option(names = "--users", description = "Distinct users (default ${DEFAULT-VALUE}).")
    int users = 200_000;

    @Option(names = "--seed", description = "Workload seed (default ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--partitions", description = "Partitions of every topic (default ${DEFAULT-VALUE}).")
    int partitions = 4;

    @Option(
            names = "--stream-threads",
            description = "Kafka Streams threads, as num.stream.threads (default ${DEFAULT-VALUE}, the application's).")
    int streamThreads = 1;

    @Option(
            names = "--warmup-records",
            description = "Records sent through the full pipeline before the measured phases, so that they run "
                    + "compiled code as a long-running job does; then it waits until the JIT compilers are idle "
                    + "(at most 60 s). 0: no warm-up (default ${DEFAULT-VALUE}).")
    int warmupRecords = 100_000;

    @Option(
            names = "--latency-rate",
            description = "Offered load of the latency run, records/s (default ${DEFAULT-VALUE}).")
    int latencyRate = 5_000;

    @Option(names = "--latency-seconds", description = "Length of the latency run (default ${DEFAULT-VALUE}).")
    int latencySeconds = 30;

    @Option(names = "--naive-records", description = "Cap of the naive baseline, records (default ${DEFAULT-VALUE}).")
    int naiveRecords = 20_000;

    @Option(names = "--naive-seconds", description = "Cap of the naive baseline, seconds (default ${DEFAULT-VALUE}).")
    int naiveSeconds = 30;

    @Option(names = "--broker-heap", description = "-Xmx of the broker's JVM (default ${DEFAULT-VALUE}).")
    String brokerHeap = "1g";

    @Option(
            names = "--producer-partitioner",
            description = "How the load generator places records: murmur2 (Kafka's Java client, as Kafka Streams "
                    + "expects; the default), or crc32 (librdkafka's default, as bot servers in Python, Go, Node or "
                    + ".NET place them: most records then take the repartition topic).")
    String producerPartitioner = "murmur2";

    @Option(
            names = "--scenario",
            description = "Receiver and delivery settings for users' conditions: loopback (default: the ceilings), "
                    + "rtt50-h2-tls (50 ms round trip, TLS, HTTP/2 offered), rtt50-h1 (50 ms, plain HTTP/1.1, 1,024 "
                    + "connections). The options below win over it.")
    String scenarioName = Scenario.LOOPBACK.name();

    @Option(
            names = "--receiver-latency-ms",
            description =
                    "The receiver answers every request this many ms after "
                            + "it arrived, as a remote Kochava would after a round trip (scheduled, its thread never blocks); "
                            + "applies to (c), (d), the latency run and (e) alike (default: the scenario's; 0, at once, on loopback).")
    Integer receiverLatencyMs;

    @Option(
            names = "--receiver-tls",
            arity = "0..1",
            description = "The receiver serves https with a certificate made at start, which the benchmark JVM trusts "
                    + "through a trust store it writes (javax.net.ssl.trustStore); default: the scenario's.")
    Boolean receiverTls;

    @Option(
            names = "--receiver-http",
            description = "h1: the receiver speaks HTTP/1.1 only; h2: it offers HTTP/2 by ALPN beside HTTP/1.1 "
                    + "(needs --receiver-tls: the client pings over HTTP/1.1 in plain text); default: the scenario's.")
    String receiverHttp;

    @Option(
            names = "--phases",
            description = "Phases to run, any of a, b, c, d, l (latency), e; targets whose "
                    + "figures are missing are left out (default ${DEFAULT-VALUE}: all).")
    String phases = "abcdle";

    @Option(
            names = "--streams-set",
            description = "For A/B runs: an extra setting of the pipeline (repeatable): a key of its own, as in "
                    + "partitioning.rekey=NEVER, or a Kafka Streams key, passed through as kafka.<key>, on top "
                    + "of the application's own Streams settings.")
    Map<String, String> streamsSet = new LinkedHashMap<>();

    @Option(
            names = "--delivery-set",
            description =
                    "A kochava.* or delivery.* setting of the Kochava client and "
                            + "the delivery sink, in every phase that delivers (repeatable; default: the application's defaults).")
    Map<String, String> deliverySet = new LinkedHashMap<>();

    /** The receiver as resolved from the scenario and the options ({@link #resolveReceiver}). */
    private Scenario scenario;

    private int latencyMs;
    private boolean tls;
    private StandInOptions.Http http;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Report report = new Report(System.out);
        try {
            resolveReceiver();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Path workDir = Files.createTempDirectory("kobot-bench");
        try (MemoryWatch memory = new MemoryWatch();
                BrokerProcess broker = BrokerProcess.start(workDir, brokerHeap);
                KochavaStandIn receiver = KochavaStandIn.start(StandInOptions.defaults()
                        .withoutRequestLog()
                        .withTls(tls)
                        .withHttp(http))) {
            receiver.delayAnswers(Duration.ofMillis(latencyMs));
            if (tls) {
                trust(receiver.certificate().writeTrustStore(workDir.resolve("receiver-trust.p12")));
            }
            PipelineRun.EXTRA.putAll(streamsSet);
            return new Run(report, broker, receiver, workDir).execute(memory);
        } finally {
            deleteRecursively(workDir);
        }
    }

    /**
     * The scenario's receiver and delivery settings, with the options given on the command line on top; refuses
     * values the options do not know.
     */
    private void resolveReceiver() {
        scenario = Scenario.named(scenarioName);
        latencyMs = receiverLatencyMs != null ? receiverLatencyMs : scenario.latencyMs();
        tls = receiverTls != null ? receiverTls : scenario.tls();
        http = receiverHttp == null
                ? scenario.http()
                : switch (receiverHttp) {
                    case "h1" -> StandInOptions.Http.HTTP1;
                    case "h2" -> StandInOptions.Http.H2;
                    default ->
                        throw new IllegalArgumentException("--receiver-http takes h1 or h2, not " + receiverHttp);
                };
        if (!producerPartitioner.equals("murmur2") && !producerPartitioner.equals("crc32")) {
            throw new IllegalArgumentException(
                    "--producer-partitioner takes murmur2 or crc32, not " + producerPartitioner);
        }
        if (http == StandInOptions.Http.H2 && !tls) {
            throw new IllegalArgumentException("--receiver-http h2 needs --receiver-tls: in plain text the client "
                    + "pings over HTTP/1.1, which the stand-in's h2c port does not speak");
        }
        if (latencyMs < 0) {
            throw new IllegalArgumentException("--receiver-latency-ms must be at least 0");
        }
        Map<String, String> delivery = new LinkedHashMap<>(scenario.delivery());
        delivery.putAll(deliverySet);
        deliverySet = delivery;
    }

    /**
     * Every TLS client of this JVM that takes the default trust store (the Kochava client, the naive baseline's
     * java.net.http) trusts the receiver's certificate, and only it: no client setting is needed, nor any
     * "trust all" switch.
     */
    private static void trust(Path trustStore) {
        System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
        System.setProperty("javax.net.ssl.trustStoreType", SelfSignedCertificate.STORE_TYPE);
        System.setProperty("javax.net.ssl.trustStorePassword", SelfSignedCertificate.PASSWORD);
    }

    /** One benchmark run over a started broker and receiver. */
    private final class Run {
        private final Report report;
        private final BrokerProcess broker;
        private final KochavaStandIn receiver;
        private final Path workDir;
        private final String bootstrap;
        private final Map<String, Object> kochava;

        Run(Report report, BrokerProcess broker, KochavaStandIn receiver, Path workDir) {
            this.report = report;
            this.broker = broker;
            this.receiver = receiver;
            this.workDir = workDir;
            this.bootstrap = broker.bootstrapServers();
            Map<String, Object> delivery = new LinkedHashMap<>(deliverySet);
            delivery.put(KochavaClientConfig.ENDPOINT, receiver.endpoint().toString());
            // The receiver is a loopback stand-in: its host allowed explicitly, as it never is by default.
            delivery.putIfAbsent(KochavaClientConfig.PING_ALLOWED_HOSTS, KochavaStandIn.HOST);
            delivery.putIfAbsent(KochavaClientConfig.ALLOW_PRIVATE_ADDRESSES, "true");
            this.kochava = Map.copyOf(delivery);
        }

        int execute(MemoryWatch memory) throws Exception {
            Interactions workload = BenchSample.workload(seed, records, users, receiver.baseUri());
            header(workload);
            Throughput a = null;
            TopologyThroughput.Result b = null;
            HttpCeiling.Result c = null;
            EndToEnd.Result d = null;
            EndToEnd.Latency latency = null;
            Throughput e = null;
            EndToEnd.Result warmup = null;
            String copyInput = null;
            int links;
            EndToEnd endToEnd = new EndToEnd(bootstrap, receiver, kochava, streamThreads);
            try (Publisher publisher = publisher()) {
                PhaseTopics.createLinks(broker, partitions);
                links = workload.linkedCount();
                publisher.publish(
                        PhaseTopics.LINKS, workload.linkRecords(PhaseTopics.LINKS, System.currentTimeMillis()));
                report.line(
                        "identity links published: %,d (%.0f %% of users), taken in by each pipeline before "
                                + "its clock starts",
                        links, 100 * workload.linkedShare());
                report.line("");
                if (warmupRecords > 0) {
                    warmup = warmUp(endToEnd, publisher, links);
                }

                if (runs('a') || runs('e')) {
                    TopicNames copyTopics = PhaseTopics.create(broker, "a", partitions);
                    copyInput = copyTopics.interactions();
                    CpuUsage cpu = CpuUsage.start(broker.pid());
                    if (runs('a')) {
                        a = new BrokerCeiling(bootstrap, publisher, workload)
                                .run(copyTopics.interactions(), copyTopics.engagements());
                        report.rate("(a) broker ceiling: consume→produce copy", "rec", a, cpu.sinceStart());
                    } else {
                        publisher.publish(copyInput, workload.records(copyInput));
                    }
                }

                if (runs('b')) {
                    CpuUsage cpu = CpuUsage.start(broker.pid());
                    b = new TopologyThroughput(bootstrap, publisher, workload, streamThreads)
                            .run(
                                    PhaseTopics.create(broker, "b", partitions),
                                    workDir.resolve("state-b"),
                                    links,
                                    PHASE_TIMEOUT);
                    report.rate(
                            "(b) topology alone, exactly_once_v2",
                            "rec",
                            b.throughput(),
                            String.format(
                                    "engagements committed %,d of %,d unique; stream thread %.1f µs CPU/rec; %s; %s",
                                    b.engagements(),
                                    workload.uniqueCount(),
                                    b.cpuMicrosPerRecord(),
                                    b.written().perRecord(b.throughput().count()),
                                    cpu.sinceStart()));
                }

                if (runs('c')) {
                    CpuUsage cpu = CpuUsage.start(broker.pid());
                    c = new HttpCeiling(workload, receiver).run(kochava, 10_000, PHASE_TIMEOUT);
                    report.rate(
                            "(c) HTTP ceiling: KochavaDeliverer, no Kafka",
                            "req",
                            c.throughput(),
                            String.format(
                                    "max in flight %d, retries %,d, failed %d, %s; client threads %.1f µs CPU/req "
                                            + "(caller %.1f µs/req); receiver threads %.1f µs CPU/req; "
                                            + "heap %.1f KiB per open connection (%,d open); %s",
                                    c.maxInFlight(),
                                    c.retries(),
                                    c.failed(),
                                    receipts(c.tally()),
                                    c.clientCpuMicrosPerRequest(),
                                    c.callerCpuMicrosPerRequest(),
                                    c.receiverCpuMicrosPerRequest(),
                                    c.heapKibPerConnection(),
                                    c.openConnections(),
                                    cpu.sinceStart()));
                }

                if (runs('d')) {
                    CpuUsage cpu = CpuUsage.start(broker.pid());
                    d = endToEnd.flatOut(
                            workload,
                            publisher,
                            PhaseTopics.create(broker, "d", partitions),
                            workDir.resolve("state-d"),
                            links,
                            PHASE_TIMEOUT);
                    report.rate(
                            "(d) full pipeline end to end",
                            "rec",
                            d.throughput(),
                            String.format(
                                    "max in flight %d, requests %,d, retries %,d, %s; stream thread %.1f µs CPU/rec; "
                                            + "%s; client threads %.1f µs CPU/req; receiver threads %.1f µs CPU/req; %s",
                                    d.maxInFlight(),
                                    d.requests(),
                                    d.retries(),
                                    receipts(d.tally()),
                                    d.cpuMicrosPerRecord(),
                                    d.written().perRecord(d.throughput().count()),
                                    d.clientCpuMicrosPerRequest(),
                                    d.receiverCpuMicrosPerRequest(),
                                    cpu.sinceStart()));
                }
            }

            if (runs('l')) {
                Interactions paced =
                        BenchSample.workload(seed + 1, latencyRate * latencySeconds, users, receiver.baseUri());
                try (Publisher publisher = publisher()) {
                    latency = endToEnd.atFixedRate(
                            paced,
                            publisher,
                            PhaseTopics.create(broker, "latency", partitions),
                            workDir.resolve("state-latency"),
                            links,
                            latencyRate,
                            PHASE_TIMEOUT);
                }
                report.line(
                        "latency at %,d rec/s for %d s, publish → receiver: p50 %d ms, p95 %d ms, p99 %d ms, "
                                + "max %d ms   %s",
                        latency.perSecond(),
                        latency.seconds(),
                        latency.p50(),
                        latency.p95(),
                        latency.p99(),
                        latency.max(),
                        receipts(latency.tally()));
            }

            if (runs('e')) {
                receiver.countInto(new PositionTally(records, records));
                e = new NaiveBaseline(bootstrap, kochava)
                        .run(copyInput, naiveRecords, Duration.ofSeconds(naiveSeconds));
                report.rate(
                        "(e) naive: one synchronous request per record",
                        "rec",
                        e,
                        String.format("capped at %,d records or %d s; rate extrapolated", naiveRecords, naiveSeconds));
            }
            return summary(workload, memory, a, b, c, d, latency, e, warmup, receiver);
        }

        /** The full pipeline over a workload of its own, then a wait for the compilers; nothing of it is measured. */
        private EndToEnd.Result warmUp(EndToEnd endToEnd, Publisher publisher, int links) throws Exception {
            Interactions workload = BenchSample.workload(seed + 2, warmupRecords, users, receiver.baseUri());
            CpuUsage cpu = CpuUsage.start(broker.pid());
            EndToEnd.Result warmup = endToEnd.warmUp(
                    workload,
                    publisher,
                    PhaseTopics.create(broker, "w", partitions),
                    workDir.resolve("state-w"),
                    links,
                    PHASE_TIMEOUT);
            String during = cpu.sinceStart();
            Duration quiet = JitActivity.awaitQuiet(Duration.ofSeconds(2), 100, Duration.ofSeconds(60));
            report.line(
                    "warm-up, not measured: %,d records through the full pipeline at %,.0f rec/s, %s (%s); then "
                            + "%d s until the JIT compilers were idle",
                    warmupRecords,
                    warmup.throughput().perSecond(),
                    receipts(warmup.tally()),
                    during,
                    quiet.toSeconds());
            report.line("");
            return warmup;
        }

        private boolean runs(char phase) {
            return phases.indexOf(phase) >= 0;
        }

        /** As bot servers publish: acks=all, idempotent; batches of up to 128 KiB; no per-record bookkeeping. */
        private Publisher publisher() {
            Publisher.Options options =
                    Publisher.to(bootstrap).batching(5, 128 * 1024).keepIds(false);
            if (crc32Producer()) options.partitioner(Crc32Partitioner.class);
            return options.open();
        }

        private boolean crc32Producer() {
            return producerPartitioner.equals("crc32");
        }

        private void header(Interactions workload) {
            report.line(
                    "kobot benchmark: %,d raw interactions (%,d unique, %.0f %% duplicates), %,d users, seed %d",
                    workload.positions(),
                    workload.uniqueCount(),
                    100.0 * (workload.positions() - workload.uniqueCount()) / workload.positions(),
                    workload.users(),
                    seed);
            report.line(
                    "machine: %d cores, Java %s, benchmark -Xmx %.0f MiB, broker in a child JVM (-Xmx%s); "
                            + "%d other Maven build(s) running, load average %.2f",
                    Runtime.getRuntime().availableProcessors(),
                    Runtime.version(),
                    Report.mib(MemoryWatch.maxHeapBytes()),
                    brokerHeap,
                    Machine.otherMavenBuilds(),
                    Machine.loadAverage());
            report.line(
                    "pipeline: %d partitions, %d stream thread(s), exactly_once_v2; half of each phase's records "
                            + "published before it starts, half while it runs; records placed by %s",
                    partitions,
                    streamThreads,
                    crc32Producer()
                            ? "CRC32 of the key (librdkafka's default partitioner: most take the repartition topic)"
                            : "murmur2 of the key (the Java client's default, as Kafka Streams places keys)");
            KochavaClientConfig client = KochavaClientConfig.from(kochava);
            report.line(
                    "receiver: %s, %s; %s; scenario %s; phases run: %s",
                    tls
                            ? "https (a certificate made at start, trusted through javax.net.ssl.trustStore)"
                            : "plain http",
                    http == StandInOptions.Http.H2
                            ? "HTTP/2 offered by ALPN beside HTTP/1.1"
                            : "HTTP/1.1 only (one request per connection at a time)",
                    latencyMs == 0
                            ? "answers at once (loopback round trip, the naive baseline's best case)"
                            : "answers every request " + latencyMs + " ms after it arrived (a simulated "
                                    + "round trip to a remote Kochava)",
                    scenario.name(),
                    phases);
            report.line(
                    "client: version policy %s; HTTP/1.1 %d connections, %d in flight (pings %d, %d); HTTP/2 %d "
                            + "connections x %d streams%s%s",
                    client.httpVersionPolicy(),
                    client.maxConnections(),
                    client.maxInFlight(),
                    client.pingMaxConnections(),
                    client.pingMaxInFlight(),
                    client.h2MaxConnections(),
                    client.h2MaxConcurrentStreams(),
                    (streamsSet.isEmpty() ? "" : "; extra Streams settings " + streamsSet),
                    (deliverySet.isEmpty() ? "" : "; delivery settings " + deliverySet));
        }

        private int summary(
                Interactions workload,
                MemoryWatch memory,
                Throughput a,
                TopologyThroughput.Result b,
                HttpCeiling.Result c,
                EndToEnd.Result d,
                EndToEnd.Latency latency,
                Throughput e,
                EndToEnd.Result warmup,
                KochavaStandIn receiver) {
            long peakHeap = memory.peakHeapBytes();
            report.line("");
            // The HTTP ceiling sent the requests of the whole workload: as workload records per second it compares
            // with the phases that read all of it.
            double cAsRecords = c == null
                    ? Double.NaN
                    : workload.positions() / c.throughput().seconds();
            if (c != null) {
                report.line("HTTP ceiling as workload records: %,.0f rec/s", cAsRecords);
            }
            report.line(
                    "peak heap %.0f MiB of -Xmx %.0f MiB; peak RSS (VmHWM): benchmark JVM %.0f MiB, broker JVM "
                            + "%.0f MiB",
                    Report.mib(peakHeap),
                    Report.mib(MemoryWatch.maxHeapBytes()),
                    Report.mib(MemoryWatch.peakRssBytes(ProcessHandle.current().pid())),
                    Report.mib(MemoryWatch.peakRssBytes(broker.pid())));
            if (b != null || d != null) {
                report.line(
                        "state stores on disk at the end of the phase: (b) %s, (d) %s",
                        b == null ? "not run" : String.format("%.1f MiB", Report.mib(b.stateBytes())),
                        d == null ? "not run" : String.format("%.1f MiB", Report.mib(d.stateBytes())));
            }
            long lost = (b != null && workload.uniqueCount() > b.engagements()
                            ? workload.uniqueCount() - b.engagements()
                            : 0)
                    + (c == null ? 0 : c.tally().lost())
                    + (d == null ? 0 : d.tally().lost())
                    + (latency == null ? 0 : latency.tally().lost())
                    + (warmup == null ? 0 : warmup.tally().lost());
            report.line(
                    "lost: %d; duplicates delivered: (c) %s, (d) %s, latency run %s, warm-up %s; machine load "
                            + "average now %.2f",
                    lost,
                    c == null ? "-" : c.tally().duplicates(),
                    d == null ? "-" : d.tally().duplicates(),
                    latency == null ? "-" : latency.tally().duplicates(),
                    warmup == null ? "-" : warmup.tally().duplicates(),
                    Machine.loadAverage());
            report.line(
                    "receiver served: HTTP/2 %,d requests, HTTP/1.1 %,d; at most %,d connections open at once",
                    receiver.transport().http2Requests(),
                    receiver.transport().http1Requests(),
                    receiver.transport().mostOpenConnections());
            report.line(
                    "targets (scenario %s: receiver %s, %s, round trip %d ms):",
                    scenario.name(),
                    tls ? "https" : "http",
                    http == StandInOptions.Http.H2 ? "HTTP/2 offered" : "HTTP/1.1",
                    latencyMs);
            int checked = 0;
            if (a != null && b != null) {
                report.target("b/a", b.throughput().perSecond() / a.perSecond(), ">=", 0.4, "");
                checked++;
            }
            if (a != null && c != null && d != null) {
                report.target(
                        "d/min(a,c)", d.throughput().perSecond() / Math.min(a.perSecond(), cAsRecords), ">=", 0.7, "");
                checked++;
            }
            if (d != null && e != null) {
                report.target("d/e", d.throughput().perSecond() / e.perSecond(), ">=", 20, "");
                checked++;
            }
            if (latency != null) {
                report.target("p99 at " + latency.perSecond() + " rec/s", latency.p99(), "<=", 1000, " ms");
                checked++;
            }
            if (d != null && latencyMs > 0) {
                checked++;
                if (http == StandInOptions.Http.H2) {
                    // The target: four times what 256 HTTP/1.1 connections carry at 50 ms.
                    report.target(
                            "d, HTTP/2 at " + latencyMs + " ms", d.throughput().perSecond(), ">=", 20_000, "/s");
                } else {
                    // HTTP/1.1 carries one request per connection at a time: 80 % of the pool's bound.
                    int connections = KochavaClientConfig.from(kochava).maxConnections();
                    report.target(
                            "d, 0.8 x " + connections + " conn / " + latencyMs + " ms",
                            d.throughput().perSecond(),
                            ">=",
                            0.8 * connections * 1000.0 / latencyMs,
                            "/s");
                }
            }
            report.target("peak heap", Report.mib(peakHeap), "<=", 512, " MiB");
            checked++;
            report.line(
                    "%d of %d targets missed; %s",
                    report.misses(), checked, lost == 0 ? "no record lost" : lost + " LOST");
            return lost == 0 ? 0 : 1;
        }

        private String receipts(PositionTally tally) {
            return String.format(
                    "received %,d of %,d unique (lost %d, duplicates %d, unattributed %d)",
                    tally.distinct(), tally.expected(), tally.lost(), tally.duplicates(), tally.unknown());
        }
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }
}
