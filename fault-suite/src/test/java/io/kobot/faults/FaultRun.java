package io.kobot.faults;

import io.kobot.devstack.kochava.InteractionTally;
import io.kobot.devstack.kochava.KochavaStandIn;
import io.kobot.devstack.kochava.StandInOptions;
import io.kobot.devstack.sample.Crc32Partitioner;
import io.kobot.devstack.sample.ForeignSchema;
import io.kobot.devstack.sample.FuzzedRecords;
import io.kobot.devstack.sample.InteractionKind;
import io.kobot.devstack.sample.Interactions;
import io.kobot.devstack.sample.PublishLedger;
import io.kobot.devstack.sample.Publisher;
import io.kobot.devstack.sample.SampleRecord;
import io.kobot.devstack.sample.Tags;
import io.kobot.devstack.sample.WireEncoder;
import io.kobot.registry.SchemaRegistryClient;
import io.kobot.registry.SchemaRegistryClients;
import io.kobot.registry.SchemaRegistryConfig;
import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.IdentityLink;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One scenario's world: its own topics and application id on the given broker, the Kochava stand-in counting per
 * interaction, a publisher, and the {@code kobot run} processes it starts. It supervises them as an orchestrator
 * would: an instance that exits on its own is started again on its state directory, and counted as an unexpected
 * exit.
 */
final class FaultRun implements AutoCloseable {
    static final int MAX_PENDING = 2_000;
    static final int BATCH_MAX_EVENTS = 200;
    static final long COMMIT_INTERVAL_MS = 100;

    private final String scenario;
    private final KafkaBroker broker;
    private final ApicurioRegistry registry;
    private final Path dir;
    private final int partitions;
    private final String prefix;
    private final KochavaStandIn receiver;
    private final InteractionTally tally = new InteractionTally();
    private final SpecificAvroSerde<BotInteraction> avro;
    private final SchemaRegistryClient registryClient;
    private final WireEncoder encoder;
    private final Publisher publisher;
    private final long validBaseMillis = Instant.now().minusSeconds(3600).toEpochMilli();
    private final Path config;
    private final List<Supervised> instances = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Integer> sigtermExits = new ArrayList<>();
    private final Map<String, String> overrides;
    private final long startNanos = System.nanoTime();
    private int unexpectedExits;

    /** An instance slot: the process currently running in it, and its state directory. */
    private static final class Supervised {
        final String name;
        Path stateDir;
        AppInstance process;
        int incarnation;

        Supervised(String name, Path stateDir) {
            this.name = name;
            this.stateDir = stateDir;
        }
    }

    /** Logs, config and state directories go to {@code faults.runs}/&lt;prefix&gt; (target/fault-runs). */
    FaultRun(String scenario, KafkaBroker broker, ApicurioRegistry registry, int partitions) {
        this(scenario, broker, registry, partitions, Map.of());
    }

    /** @param overrides settings of this scenario, on top of (and replacing) the suite's */
    FaultRun(
            String scenario,
            KafkaBroker broker,
            ApicurioRegistry registry,
            int partitions,
            Map<String, String> overrides) {
        this.overrides = overrides;
        this.scenario = scenario;
        this.broker = broker;
        this.registry = registry;
        this.partitions = partitions;
        this.prefix = "faults-" + scenario + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.dir = Path.of(System.getProperty("faults.runs", "target/fault-runs"))
                .toAbsolutePath()
                .resolve(prefix);
        for (String topic :
                List.of(interactionsTopic(), topic("engagements"), topic("deliveries"), deadLetterTopic())) {
            broker.createTopic(topic, partitions);
        }
        broker.createTopic(topic("identity-links"), partitions, Map.of("cleanup.policy", "compact"));
        // Counts only: a log of every request would grow with the run. Events carry their id in fault_id.
        this.receiver = KochavaStandIn.start(
                StandInOptions.defaults().withEventIdField("fault_id").withoutRequestLog());
        receiver.countInto(tally);
        Map<String, Object> registryConfig = Map.of("schema.registry.url", registry.confluentApiUrl());
        this.avro = SpecificAvroSerde.of(BotInteraction.class, registryConfig, false);
        this.registryClient = SchemaRegistryClients.create(SchemaRegistryConfig.from(registryConfig));
        this.encoder = new WireEncoder(
                BotInteraction.getClassSchema(), IdentityLink.getClassSchema(), registryClient::register);
        // As a bot server publishes: idempotent, acks=all; where the pipeline places join keys by CRC32, as the
        // librdkafka-based producers of such a deployment do.
        Publisher.Options publishing = Publisher.to(broker.clientProperties());
        if ("CRC32".equals(overrides.get("partitioning.partitioner"))) publishing.partitioner(Crc32Partitioner.class);
        this.publisher = publishing.open();
        this.config = writeConfig();
    }

    /** The application.id of the instances, which is also their consumer group. */
    String applicationId() {
        return prefix;
    }

    /** The Kochava stand-in the instances deliver to; its faults switch at run time. */
    KochavaStandIn receiver() {
        return receiver;
    }

    /** What was published to the interactions topic and acknowledged: only an acknowledged one can be lost. */
    PublishLedger published() {
        return publisher.ledger();
    }

    /** Sends everything to the interactions topic as fast as the producer takes it, and waits for the acks. */
    void publish(Iterator<SampleRecord> records) {
        publisher.publish(interactionsTopic(), records);
    }

    /** Sends at about {@code perSecond} records a second on another thread; the future ends once all are acked. */
    CompletableFuture<Void> publishAtRate(Iterator<SampleRecord> records, int perSecond) {
        return publisher.publishAtRate(interactionsTopic(), records, perSecond);
    }

    /** What the stand-in answered with success, per interaction id. */
    InteractionTally tally() {
        return tally;
    }

    int partitions() {
        return partitions;
    }

    /** Records for {@code count} distinct valid interactions plus a copy of an earlier one after every 50th. */
    Iterator<SampleRecord> validInteractions(int count) {
        return validSample(count).records(interactionsTopic());
    }

    /**
     * {@code count} valid interactions, each identifiable at the receiver: an event carries its id in
     * {@code event_data.fault_id}, an impression or click has a tracking URL of its own. 70 % events, 20 %
     * impressions, 10 % clicks; two thirds Avro, one third JSON; keyed by {@code fb_user_id} when known; a copy of
     * an earlier one (a retried webhook) after every 50th, which deduplication must drop.
     */
    Interactions validSample(int count) {
        return Interactions.builder(prefix.hashCode())
                .unique(count)
                .duplicateShare(0.02)
                .users(20_000)
                .avroShare(2 / 3.0)
                .appIds(List.of("kobot-faults"))
                .eventNames(List.of("Purchase", "Start Chatting"))
                .idPrefix(prefix + "-")
                .userPrefix("user-")
                .occurredAtBase(validBaseMillis)
                .tags(new Tags() {
                    @Override
                    public String eventData(int id, String interactionId) {
                        return "{\"fault_id\":\"" + interactionId + "\",\"sum\":1}";
                    }

                    @Override
                    public String trackingUrl(int id, String interactionId, InteractionKind kind) {
                        return receiver.trackingUrl(interactionId);
                    }
                })
                .build(encoder);
    }

    FuzzedRecords fuzzedRecords(long seed) {
        int foreignId = ForeignSchema.register(registry.confluentApiUrl(), prefix + "-foreign-value");
        return new FuzzedRecords(
                prefix + "-",
                "kobot-faults",
                encoder,
                interactionsTopic(),
                foreignId,
                Instant.now().minusSeconds(60).toEpochMilli(),
                seed);
    }

    /** This run's own topic prefix, also unique in the registry. */
    String prefix() {
        return prefix;
    }

    String identityLinksTopic() {
        return topic("identity-links");
    }

    /** {@code interaction} in the Confluent wire format, registered under the interactions topic's subject. */
    byte[] avro(BotInteraction interaction) {
        return avro.serializer().serialize(interactionsTopic(), interaction);
    }

    /** The dead-letter topic by reason code, read_committed. */
    Map<String, Long> deadLettersByReason() {
        return deadLetterCounter().count();
    }

    /** Every line the instances have logged so far, across restarts. */
    String instanceLogs() {
        StringBuilder logs = new StringBuilder();
        try (var files = Files.list(dir.resolve("logs"))) {
            for (Path log : files.sorted().toList()) {
                logs.append(Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return logs.toString();
    }

    /** Starts instance {@code name} on state directory {@code state-<name>}. */
    void start(String name) {
        Supervised slot = new Supervised(name, dir.resolve("state-" + name));
        instances.add(slot);
        launch(slot);
    }

    /** SIGKILLs instance {@code name}; with {@code restart}, starts it again on the same state directory. */
    void kill(String name, boolean restart) {
        Supervised slot = slot(name);
        slot.process.kill();
        note("SIGKILL " + slot.process.name() + " at " + elapsedText() + ", " + progress());
        if (restart) {
            launch(slot);
        } else {
            instances.remove(slot);
        }
    }

    /** SIGKILLs instance {@code name} and starts it again on a new, empty state directory. */
    void killAndRestartFresh(String name) {
        Supervised slot = slot(name);
        slot.process.kill();
        slot.stateDir = dir.resolve("state-" + name + "-fresh");
        note("SIGKILL " + slot.process.name() + " at " + elapsedText() + ", " + progress()
                + "; restarted on a fresh state dir");
        launch(slot);
    }

    /**
     * SIGKILLs instance {@code name} {@code kills} times while it works: each time once {@code awaitProgress} has
     * returned (the incarnation is delivering) and 0.5 to 4.5 s more have passed, drawn from {@code random}; restarts
     * it on its state directory each time, the last time on a fresh one (state then comes only from the changelogs).
     */
    void killRepeatedly(String name, int kills, Random random, Runnable awaitProgress) {
        for (int kill = 1; kill <= kills; kill++) {
            awaitProgress.run();
            sleep(500 + random.nextInt(4_000));
            if (kill == kills) {
                killAndRestartFresh(name);
            } else {
                kill(name, true);
            }
        }
    }

    /**
     * SIGTERMs instance {@code name} and waits for it to exit; the exit code goes into the report (asserted 0).
     *
     * @return how long it took to exit
     */
    Duration terminate(String name) {
        Supervised slot = slot(name);
        long start = System.nanoTime();
        int exit = slot.process.terminate();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        sigtermExits.add(exit);
        note(String.format(
                "SIGTERM %s at %s: exit code %d after %.1f s, %s",
                slot.process.name(), elapsedText(), exit, took.toMillis() / 1000.0, progress()));
        return took;
    }

    /** Starts instance {@code name} again on its state directory, after {@link #terminate}. */
    void restart(String name) {
        launch(slot(name));
    }

    /** The current process of instance {@code name}. */
    AppInstance instance(String name) {
        return slot(name).process;
    }

    /** Log files of every incarnation so far. */
    List<Path> logs() {
        try (var files = Files.list(dir.resolve("logs"))) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void note(String note) {
        notes.add(note);
    }

    String elapsedText() {
        return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }

    private String progress() {
        return String.format("%,d interactions delivered so far", tally.distinctDelivered());
    }

    /**
     * Waits, supervising, until the receiver has seen {@code more} deliveries beyond what it had: the instance
     * just started is running and delivering, so a kill then interrupts work in progress.
     */
    void awaitProgress(int more, Duration timeout) {
        int target = tally.distinctDelivered() + more;
        awaitSupervised(
                timeout,
                () -> tally.distinctDelivered() >= target,
                () -> String.format("%,d delivered, waiting for %,d", tally.distinctDelivered(), target));
    }

    /** Waits, supervising, until every accepted interaction has reached the receiver. */
    void awaitAllDelivered(Duration timeout) {
        awaitSupervised(
                timeout,
                () -> tally.deliveries().keySet().containsAll(published().accepted()),
                () -> String.format(
                        "%,d of %,d accepted interactions delivered",
                        tally.distinctDelivered(), published().accepted().size()));
    }

    /** Waits, supervising, until the dead-letter topic holds at least {@code expected} committed records. */
    void awaitDeadLetters(long expected, Duration timeout) {
        TopicCounter<DeadLetter> counter = deadLetterCounter();
        awaitSupervised(
                timeout,
                () -> counter.count().values().stream()
                                .mapToLong(Long::longValue)
                                .sum()
                        >= expected,
                () -> "dead letters " + counter.count() + ", expected " + expected);
    }

    private void awaitSupervised(Duration timeout, BooleanSupplier done, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + ": " + state.get() + "\n" + logTails());
            }
            superviseOnce();
            sleep(500);
        }
    }

    private void superviseOnce() {
        for (Supervised slot : instances) {
            if (slot.process.terminated()) {
                continue;
            }
            Integer exit = slot.process.exitCode();
            if (exit != null) {
                unexpectedExits++;
                note(slot.process.name() + " exited on its own with code " + exit + " at " + elapsedText()
                        + "; restarted on its state dir. Log tail:\n" + slot.process.logTail(15));
                launch(slot);
            }
        }
    }

    /**
     * Lets stragglers arrive, stops every instance with SIGTERM (noting exit codes other than 0), and counts.
     *
     * @param incidents crashes and rebalances the scenario caused, for the duplicate bound
     */
    FaultReport finish(String description, FaultSizes sizes, int incidents, long deadLettersExpected) {
        return finish(
                description,
                deadLettersExpected,
                sizes,
                tally::deliveries,
                new DuplicateBound(incidents, partitions, MAX_PENDING, COMMIT_INTERVAL_MS, tally.peakPerSecond()));
    }

    /**
     * As {@link #finish(String, FaultSizes, int, long)}, counting what reached {@code deliveries} (read after the
     * instances stopped) against {@code bound}: for scenarios that deliver somewhere other than the stand-in.
     */
    FaultReport finish(
            String description,
            long deadLettersExpected,
            FaultSizes sizes,
            Supplier<Map<String, Long>> deliveries,
            DuplicateBound bound) {
        sleep(2_000);
        for (Supervised slot : instances) {
            if (slot.process.isAlive()) {
                terminate(slot.name);
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        if (published().failed() > 0) {
            note(String.format(
                    "%,d sends failed at the producer (not accepted, not counted)",
                    published().failed()));
        }
        if (tally.failedAnswers() > 0) {
            note(String.format(
                    "%,d requests answered with a failure during the fault (retried)", tally.failedAnswers()));
        }
        if (tally.unattributedRequests() > 0) {
            note(String.format("%,d requests the receiver could not attribute", tally.unattributedRequests()));
        }
        note("logs: " + dir);
        FaultReport report = FaultReport.of(
                scenario,
                description,
                sizes,
                published(),
                deliveries.get(),
                deadLetterCounter().count(),
                deadLettersExpected,
                bound,
                unexpectedExits,
                sigtermExits,
                elapsed,
                notes);
        report.publish();
        return report;
    }

    private TopicCounter<DeadLetter> deadLetterCounter() {
        return new TopicCounter<>(
                broker.clientProperties(),
                registry.confluentApiUrl(),
                deadLetterTopic(),
                DeadLetter.class,
                DeadLetter::getReasonCode);
    }

    private Supervised slot(String name) {
        return instances.stream().filter(s -> s.name.equals(name)).findFirst().orElseThrow();
    }

    private void launch(Supervised slot) {
        slot.incarnation++;
        slot.process =
                AppInstance.start(slot.name + "-" + slot.incarnation, config, slot.stateDir, dir.resolve("logs"));
    }

    private String logTails() {
        StringBuilder tails = new StringBuilder();
        for (Supervised slot : instances) {
            tails.append("--- ")
                    .append(slot.process.name())
                    .append(" ---\n")
                    .append(slot.process.logTail(30))
                    .append('\n');
        }
        return tails.toString();
    }

    private Path writeConfig() {
        Path file = dir.resolve("kobot.properties");
        String properties = String.join(
                "\n",
                "application.id=" + prefix,
                "bootstrap.servers=" + broker.bootstrapServers(),
                "schema.registry.url=" + registry.confluentApiUrl(),
                "topics.interactions=" + interactionsTopic(),
                "topics.identity-links=" + topic("identity-links"),
                "topics.engagements=" + topic("engagements"),
                "topics.deliveries=" + topic("deliveries"),
                "topics.dead-letters=" + deadLetterTopic(),
                "topics.create=true",
                "topics.partitions=" + partitions,
                "validation.max-event-data-bytes=" + FuzzedRecords.MAX_EVENT_DATA_BYTES,
                "shutdown.timeout=PT20S",
                "kochava.endpoint=" + receiver.endpoint(),
                "kochava.identity-link.endpoint=" + receiver.identityLinkEndpoint(),
                // The receiver is a loopback stand-in: allowed explicitly, as it never is by default.
                "kochava.ping.allowed-hosts=" + KochavaStandIn.HOST,
                "kochava.allow-private-addresses=true",
                // Long enough that no outage of the suite exhausts retries; backoff capped so that delivery
                // resumes within seconds of the endpoint's return.
                "delivery.max-retry-time=600000",
                "delivery.retry.max-backoff=5000",
                "delivery.max-pending=" + MAX_PENDING,
                "delivery.batch.max-events=" + BATCH_MAX_EVENTS,
                "delivery.drain-timeout=5000",
                "kafka.commit.interval.ms=" + COMMIT_INTERVAL_MS,
                "");
        StringBuilder withOverrides = new StringBuilder(properties);
        overrides.forEach((key, value) ->
                withOverrides.append(key).append('=').append(value).append('\n'));
        properties = withOverrides.toString();
        try {
            Files.createDirectories(dir);
            Files.writeString(file, properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    String interactionsTopic() {
        return topic("interactions");
    }

    private String deadLetterTopic() {
        return topic("dlq");
    }

    /** The engagements topic, which the instances write (and a Kafka Connect sink reads). */
    String engagementsTopic() {
        return topic("engagements");
    }

    /** The registry the instances and the fault suite's counters use. */
    String registryUrl() {
        return registry.confluentApiUrl();
    }

    Map<String, Object> clientProperties() {
        return broker.clientProperties();
    }

    private String topic(String name) {
        return prefix + "-" + name;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (Supervised slot : instances) {
            if (slot.process.isAlive()) {
                slot.process.kill();
            }
        }
        publisher.close();
        avro.close();
        registryClient.close();
        receiver.close();
    }
}
