package io.kobot.streams.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kobot.config.ConfigProblem;
import io.kobot.config.InvalidConfigurationException;
import io.kobot.config.RawConfiguration;
import io.kobot.partitioning.JoinKeyPartitioner;
import io.kobot.streams.topology.RekeyMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigTest {
    private static final Map<String, String> MINIMAL = Map.of(
            "bootstrap.servers", "broker:9092",
            "schema.registry.url", "http://registry:8081");

    @TempDir
    Path dir;

    @Test
    void defaultsComeFromTheKeyRegistry() {
        PipelineConfig config = PipelineConfig.from(MINIMAL);

        assertThat(config.applicationId()).isEqualTo("kobot-pipeline");
        assertThat(config.processingGuarantee()).isEqualTo("exactly_once_v2");
        assertThat(config.topologySettings(6, false).dedupRetention()).isEqualTo(Duration.ofHours(24));
        assertThat(config.topologySettings(6, false).maxFutureSkew()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.topologySettings(6, false).maxEventDataBytes()).isEqualTo(65536);
        assertThat(config.topologySettings(6, false).rekeyMode()).isEqualTo(RekeyMode.AUTO);
        assertThat(config.topicNames()).isEqualTo(io.kobot.streams.topology.TopicNames.DEFAULTS);
        assertThat(config.deliveryMode()).isEqualTo(DeliveryMode.TOPOLOGY);
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.stateDir()).isEmpty();
        assertThat(config.topicReplicationFactor()).isEmpty();
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFile() throws IOException {
        Path file = write("""
                bootstrap.servers=file:9092
                schema.registry.url=http://file:8081
                application.id=from-file
                dedup.retention=PT1H
                topics.identity-links=file-links
                """);
        Map<String, String> env = Map.of(
                "KOBOT_APPLICATION_ID", "from-env",
                "KOBOT_DEDUP_RETENTION", "PT2H",
                "KOBOT_TOPICS_IDENTITY__LINKS", "env-links",
                "PATH", "/usr/bin");

        PipelineConfig config = PipelineConfig.load(Optional.of(file), env, List.of("application.id=from-flag"));

        assertThat(config.applicationId()).isEqualTo("from-flag");
        assertThat(config.topologySettings(6, false).dedupRetention()).isEqualTo(Duration.ofHours(2));
        assertThat(config.topicNames().identityLinks()).isEqualTo("env-links");
        assertThat(config.bootstrapServers()).isEqualTo("file:9092");
    }

    @Test
    void environmentNamesMapBothWays() {
        for (String key : PipelineConfig.CONFIG_DEF.names()) {
            assertThat(RawConfiguration.keyOfEnv(RawConfiguration.envNameOf(key)))
                    .contains(key);
        }
        assertThat(RawConfiguration.keyOfEnv("KOBOT_KAFKA_SASL_JAAS_CONFIG")).contains("kafka.sasl.jaas.config");
        assertThat(RawConfiguration.keyOfEnv("HOME")).isEmpty();
    }

    @Test
    void passThroughKeysReachTheirComponents() {
        Map<String, String> raw = minimalWith(
                "kafka.security.protocol", "SASL_SSL",
                "kafka.producer.linger.ms", "20",
                "kochava.endpoint", "https://kochava.example/track/json",
                "delivery.max-in-flight", "32");

        PipelineConfig config = PipelineConfig.from(raw);

        assertThat(config.kafkaProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("producer.linger.ms", "20");
        assertThat(config.deliveryProperties())
                .containsOnly(
                        Map.entry("kochava.endpoint", "https://kochava.example/track/json"),
                        Map.entry("delivery.max-in-flight", "32"));
    }

    @Test
    void theProducersPartitionerCannotBeSetForThePipeline() {
        Map<String, String> raw = minimalWith(
                "kafka.partitioner.class", "com.example.Crc32Partitioner",
                "kafka.producer.partitioner.class", "com.example.Crc32Partitioner",
                "kafka.partitioner.ignore.keys", "true",
                "kafka.producer.partitioner.ignore.keys", "true");

        assertThat(problemKeys(raw))
                .containsExactlyInAnyOrder(
                        "kafka.partitioner.class", "kafka.producer.partitioner.class",
                        "kafka.partitioner.ignore.keys", "kafka.producer.partitioner.ignore.keys");
        assertThat(problemsOf(raw)).allSatisfy(p -> assertThat(p.reason()).contains("partitioning.partitioner"));
    }

    @Test
    void joinKeysArePlacedByMurmur2UnlessAnotherKnownFunctionIsAskedFor() {
        assertThat(PipelineConfig.from(minimalWith()).topologySettings(1, false).joinKeyPartitioner())
                .isEqualTo(JoinKeyPartitioner.MURMUR2);
        assertThat(PipelineConfig.from(minimalWith("partitioning.partitioner", "CRC32"))
                        .topologySettings(1, false)
                        .joinKeyPartitioner())
                .isEqualTo(JoinKeyPartitioner.CRC32);
        assertThat(PipelineConfig.from(minimalWith("partitioning.partitioner", "FNV1A"))
                        .topologySettings(1, false)
                        .joinKeyPartitioner())
                .isEqualTo(JoinKeyPartitioner.FNV1A);
        assertThat(problemKeys(minimalWith("partitioning.partitioner", "xxhash")))
                .containsExactly("partitioning.partitioner");
    }

    @Test
    void ingestAllowsTheTrackingHostsTheClientAllows() {
        Map<String, String> raw = minimalWith();
        assertThat(PipelineConfig.from(raw)
                        .topologySettings(1, false)
                        .pingAllowedHosts()
                        .rules())
                .containsExactlyElementsOf(io.kobot.kochava.PingHostAllowlist.KOCHAVA_HOSTS);

        raw.put("kochava.ping.allowed-hosts", "*.partner.example");
        assertThat(PipelineConfig.from(raw)
                        .topologySettings(1, false)
                        .pingAllowedHosts()
                        .rules())
                .containsExactly("*.partner.example");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        Map<String, String> raw = Map.of(
                "schema.registry.url", "http://registry:8081",
                "dedup.retention", "a day",
                "http.port", "70000",
                "partitioning.rekey", "SOMETIMES",
                "topics.create", "yes",
                "colour", "blue",
                "kafka.application.id", "other",
                "delivery.max-in-flight", "zero");

        assertThat(problemKeys(raw))
                .containsExactlyInAnyOrder(
                        "bootstrap.servers",
                        "dedup.retention",
                        "http.port",
                        "partitioning.rekey",
                        "topics.create",
                        "colour",
                        "kafka.application.id",
                        "delivery.max-in-flight");
    }

    @Test
    void validatesKochavaKeysWithTheClientsOwnConfig() {
        Map<String, String> raw = minimalWith(
                "delivery.max-in-flight", "zero",
                "kochava.endpoint", "ftp://nope");

        assertThat(problemKeys(raw)).contains("delivery.max-in-flight", "kochava.endpoint");
    }

    @Test
    void validatesTheDeliverySinksKeysTooAndForwardingNeedsADefaultApp() {
        Map<String, String> raw = minimalWith(
                "delivery.batch.max-events", "-1",
                "kochava.identity-link.forward", "true");

        assertThat(problemKeys(raw))
                .containsExactlyInAnyOrder("delivery.batch.max-events", "kochava.identity-link.default-app-id");
    }

    @Test
    void forwardingIdentityLinksRunsWithTopologyDeliveryAndIsRefusedWithConnect() {
        Map<String, String> raw = minimalWith(
                "kochava.identity-link.forward", "true",
                "kochava.identity-link.default-app-id", "kobot-app");

        assertThat(PipelineConfig.from(raw).kochavaClientConfig().forwardIdentityLinks())
                .isTrue();
        raw.put("delivery.mode", "connect");
        assertThat(problemsOf(raw)).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("kochava.identity-link.forward");
            assertThat(problem.reason()).contains("delivery.mode=topology");
        });
    }

    @Test
    void secretsAreNeverPrinted() {
        Map<String, String> raw = minimalWith(
                "schema.registry.basic.auth.user.info", "alice:s3cr3t-registry",
                "kafka.sasl.jaas.config", "PlainLoginModule required password=\"s3cr3t-jaas\";",
                "kafka.ssl.truststore.password", "s3cr3t-store",
                "kafka.ssl.keystore.key", "s3cr3t-key");

        PipelineConfig config = PipelineConfig.from(raw);

        assertThat(config.toString()).doesNotContain("s3cr3t").contains(Secrets.MASK);
        assertThat(config.printable().values()).noneMatch(value -> value.contains("s3cr3t"));
        assertThat(config.printable()).containsEntry("bootstrap.servers", "broker:9092");
    }

    @Test
    void anInvalidSecretIsNotEchoed() {
        Map<String, String> raw = minimalWith("schema.registry.url", "http://alice:s3cr3t@registry:8081");

        assertThatThrownBy(() -> PipelineConfig.from(raw)).hasMessageNotContaining("s3cr3t");
    }

    @Test
    void connectDeliveryNeedsTheEngagementsTopic() {
        Map<String, String> raw = minimalWith(
                "delivery.mode", "connect",
                "output.engagements", "false");

        assertThatThrownBy(() -> PipelineConfig.from(raw)).hasMessageContaining("output.engagements");
    }

    @Test
    void unknownKeysAreErrorsWithTheNearestKeyAndOnlyKafkaPassesThrough() {
        Map<String, String> raw = minimalWith(
                "dedup.retension", "PT1H",
                "delivery.max-inflight", "32",
                "kochava.endpiont", "https://kochava.example/track/json",
                "kafak.security.protocol", "SSL",
                "kafka.security.protocol", "SSL");

        assertThat(problemsOf(raw))
                .containsExactlyInAnyOrder(
                        new ConfigProblem("dedup.retension", "unknown key; did you mean dedup.retention?"),
                        new ConfigProblem("delivery.max-inflight", "unknown key; did you mean delivery.max-in-flight?"),
                        new ConfigProblem("kochava.endpiont", "unknown key; did you mean kochava.endpoint?"),
                        new ConfigProblem(
                                "kafak.security.protocol", "unknown key; did you mean kafka.security.protocol?"));
    }

    @Test
    void bootstrapServersAndUrlsAreCheckedForSyntax() {
        Map<String, String> raw = Map.of(
                "bootstrap.servers", "kafka",
                "schema.registry.url", "registry:8081",
                "kochava.endpoint", "kochava.example/track");

        assertThat(problemKeys(raw))
                .containsExactlyInAnyOrder("bootstrap.servers", "schema.registry.url", "kochava.endpoint");
    }

    @Test
    void durationsTakeIsoOrAUnitAndTheOldMillisecondKeysStillTakePlainNumbers() {
        Map<String, String> raw = minimalWith(
                "dedup.retention", "36h",
                "shutdown.timeout", "PT45S",
                "delivery.request-timeout", "2500",
                "delivery.retry.max-backoff", "1m",
                "delivery.batch.linger", "20ms");

        PipelineConfig config = PipelineConfig.from(raw);

        assertThat(config.dedupRetention()).isEqualTo(Duration.ofHours(36));
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.kochavaClientConfig().requestTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.kochavaClientConfig().maxBackoff()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.deliverySettings().batchLinger()).isEqualTo(Duration.ofMillis(20));
        assertThat(config.printable())
                .containsEntry("dedup.retention", "PT36H")
                .containsEntry("delivery.request-timeout", "PT2.5S");

        raw.put("dedup.retention", "86400000");
        assertThatThrownBy(() -> PipelineConfig.from(raw))
                .hasMessageContaining(
                        "dedup.retention: must be an " + "ISO-8601 duration such as PT30S or PT24H, got '86400000'");
    }

    @Test
    void crossFieldRulesAreReportedBesidePerKeyProblems() {
        Map<String, String> raw = minimalWith(
                "http.port", "-1",
                "delivery.retry.initial-backoff", "PT5S",
                "delivery.retry.max-backoff", "PT1S",
                "delivery.batch.max-events", "100",
                "delivery.max-pending", "10",
                "topics.engagements", "same",
                "topics.deliveries", "same");

        assertThat(problemKeys(raw))
                .containsExactlyInAnyOrder(
                        "http.port", "delivery.retry.max-backoff", "delivery.max-pending", "topics.*");
    }

    @Test
    void theComponentsSettingsAreReadOnceWithTheRest() {
        Map<String, String> raw = minimalWith(
                "kochava.endpoint", "https://kochava.example/track/json",
                "delivery.batch.max-events", "20");

        PipelineConfig config = PipelineConfig.from(raw);

        assertThat(config.kochavaClientConfig().endpoint()).hasToString("https://kochava.example/track/json");
        assertThat(config.kochavaClientConfig().maxInFlight()).isEqualTo(256);
        assertThat(config.deliverySettings().batchMaxEvents()).isEqualTo(20);
        assertThat(config.deliverySettings().drainTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.printable()).containsEntry("delivery.max-in-flight", "256");
    }

    @Test
    void composesTheComponentsDeclarationsInsteadOfRepeatingThem() {
        for (var def : List.of(
                io.kobot.kochava.KochavaClientConfig.CONFIG_DEF,
                io.kobot.streams.deliver.DeliverySettings.CONFIG_DEF)) {
            def.configKeys()
                    .forEach((name, key) -> assertThat(
                                    PipelineConfig.CONFIG_DEF.configKeys().get(name))
                            .as(name)
                            .isSameAs(key));
        }
        assertThat(PipelineConfig.CONFIG_DEF.configKeys().get("schema.registry.url"))
                .isSameAs(io.kobot.registry.SchemaRegistryConfig.CONFIG_DEF
                        .configKeys()
                        .get("schema.registry.url"));
    }

    @Test
    void secretNessIsDeclared() {
        assertThat(PipelineConfig.isSecret("schema.registry.basic.auth.user.info"))
                .isTrue();
        assertThat(PipelineConfig.isSecret("kafka.sasl.jaas.config")).isTrue();
        assertThat(PipelineConfig.isSecret("kafka.ssl.truststore.password")).isTrue();
        assertThat(PipelineConfig.isSecret("kafka.producer.ssl.key.password")).isTrue();
        assertThat(PipelineConfig.isSecret("kafka.security.protocol")).isFalse();
        assertThat(PipelineConfig.isSecret("bootstrap.servers")).isFalse();
        assertThat(PipelineConfig.isSecret("kochava.endpoint")).isFalse();
        assertThat(PipelineConfig.isSecret("logging.pii-mask-key")).isTrue();
    }

    @Test
    void atLeastOnceIsRefusedWithDeliveryInTheTopologyAndSaysWhy() {
        Map<String, String> raw = minimalWith("processing.guarantee", "at_least_once");

        assertThatThrownBy(() -> PipelineConfig.from(raw))
                .hasMessageContaining("processing.guarantee")
                .hasMessageContaining("delivery.mode=topology")
                .hasMessageContaining("dead letter was never written");
        raw.put("delivery.mode", "connect");
        assertThat(PipelineConfig.from(raw).processingGuarantee()).isEqualTo("at_least_once");
    }

    /** {@link #MINIMAL} with {@code keysAndValues} (key, value, key, value, …) added; mutable for a second step. */
    private static Map<String, String> minimalWith(String... keysAndValues) {
        Map<String, String> raw = new HashMap<>(MINIMAL);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            raw.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return raw;
    }

    /** What {@link PipelineConfig#from} reports for {@code raw}, which it must refuse as invalid. */
    private static List<ConfigProblem> problemsOf(Map<String, String> raw) {
        Throwable thrown = catchThrowable(() -> PipelineConfig.from(raw));
        assertThat(thrown).isInstanceOf(InvalidConfigurationException.class);
        return ((InvalidConfigurationException) thrown).problems();
    }

    private static List<String> problemKeys(Map<String, String> raw) {
        return problemsOf(raw).stream().map(ConfigProblem::key).toList();
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("kobot.properties");
        Files.writeString(file, text);
        return file;
    }
}
