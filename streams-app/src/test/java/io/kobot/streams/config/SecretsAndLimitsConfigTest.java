package io.kobot.streams.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kobot.config.ConfigProblem;
import io.kobot.config.InvalidConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets hidden by declared type, URL credentials masked, config references resolved, and the size rule. */
class SecretsAndLimitsConfigTest {
    private static final Map<String, String> MINIMAL = Map.of(
            "bootstrap.servers", "broker:9092",
            "schema.registry.url", "http://registry:8081");

    @TempDir
    Path dir;

    private static Map<String, String> with(String... pairs) {
        Map<String, String> raw = new HashMap<>(MINIMAL);
        for (int i = 0; i < pairs.length; i += 2) {
            raw.put(pairs[i], pairs[i + 1]);
        }
        return raw;
    }

    @Test
    void secretsAreHiddenByTheirDeclaredTypeNotByTheirName() {
        PipelineConfig config = PipelineConfig.from(with(
                "partitioning.rekey", "ALWAYS",
                "kafka.ssl.key.password", "s3cr3t-1",
                "kafka.producer.ssl.truststore.password", "s3cr3t-2",
                "kafka.sasl.jaas.config", "PlainLoginModule required password=\"s3cr3t-3\";",
                "kafka.ssl.keystore.location", "/etc/kobot/keystore.p12",
                "kafka.client.id", "kobot-1",
                "kafka.acme.signing.passphrase", "s3cr3t-4"));

        Map<String, String> printable = config.printable();
        assertThat(printable)
                .containsEntry("partitioning.rekey", "ALWAYS")
                .containsEntry("kafka.ssl.keystore.location", "/etc/kobot/keystore.p12")
                .containsEntry("kafka.client.id", "kobot-1")
                .containsEntry("kafka.ssl.key.password", Secrets.MASK)
                .containsEntry("kafka.producer.ssl.truststore.password", Secrets.MASK)
                .containsEntry("kafka.sasl.jaas.config", Secrets.MASK)
                // Unknown to Kafka: the conservative name rule.
                .containsEntry("kafka.acme.signing.passphrase", Secrets.MASK);
        assertThat(config.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void credentialsInsideUrlsAreMaskedWhereverTheConfigIsPrinted() {
        PipelineConfig config = PipelineConfig.from(
                with("kochava.endpoint", "https://kobot:pa55word@control.kochava.com/track/json?api_key=k3y&app=1"));

        assertThat(config.printable().get("kochava.endpoint"))
                .isEqualTo("https://[hidden]@control.kochava.com/track/json?api_key=[hidden]&app=1");
        assertThat(config.toString()).doesNotContain("pa55word").doesNotContain("k3y");
    }

    @Test
    void validationErrorsDoNotQuoteUrlCredentials() {
        assertThatThrownBy(() -> PipelineConfig.from(with("kochava.endpoint", "ftp://kobot:pa55word@host/?token=t0k")))
                .isInstanceOfSatisfying(
                        InvalidConfigurationException.class,
                        e -> assertThat(e.problems())
                                .isNotEmpty()
                                .allSatisfy(p -> assertThat(p.reason())
                                        .doesNotContain("pa55word")
                                        .doesNotContain("t0k")));
        assertThatThrownBy(() -> PipelineConfig.from(with("schema.registry.url", "http://registry:8081/?token=t0k")))
                .isInstanceOfSatisfying(
                        InvalidConfigurationException.class,
                        e -> assertThat(e.problems())
                                .isNotEmpty()
                                .allSatisfy(p -> assertThat(p.reason()).doesNotContain("t0k")));
    }

    @Test
    void fileAndEnvironmentReferencesAreResolvedWithKafkasProviders() throws IOException {
        Path secrets = Files.writeString(dir.resolve("secrets.properties"), "registry=alice:s3cr3t-file\n");
        PipelineConfig config = PipelineConfig.load(
                Optional.empty(),
                Map.of(
                        "KOBOT_BOOTSTRAP_SERVERS",
                        "broker:9092",
                        "JAAS",
                        "PlainLoginModule required password=\"s3cr3t-env\";"),
                List.of(
                        "schema.registry.url=http://registry:8081",
                        "schema.registry.basic.auth.user.info=${file:" + secrets + ":registry}",
                        "kafka.sasl.jaas.config=${env:JAAS}"));

        assertThat(config.schemaRegistryConfig())
                .containsEntry("basic.auth.user.info", new Password("alice:s3cr3t-file"));
        assertThat(config.kafkaProperties())
                .containsEntry("sasl.jaas.config", "PlainLoginModule required password=\"s3cr3t-env\";");
        assertThat(config.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void anUnresolvableReferenceIsAProblemNotALiteral() {
        assertThatThrownBy(() -> PipelineConfig.load(
                        Optional.empty(),
                        Map.of(),
                        List.of(
                                "bootstrap.servers=broker:9092",
                                "schema.registry.url=http://registry:8081",
                                "schema.registry.basic.auth.user.info=${env:NO_SUCH_VARIABLE_FOR_KOBOT}")))
                .isInstanceOfSatisfying(
                        InvalidConfigurationException.class,
                        e -> assertThat(e.problems())
                                .extracting(ConfigProblem::key)
                                .contains("schema.registry.basic.auth.user.info"));
    }

    @Test
    void theEngagementLimitMustHoldTheLargestInteractionAndFitTheProducer() {
        assertThatThrownBy(() -> PipelineConfig.from(with("validation.max-engagement-bytes", "1000")))
                .isInstanceOfSatisfying(
                        InvalidConfigurationException.class,
                        e -> assertThat(e.problems())
                                .extracting(ConfigProblem::key)
                                .contains("validation.max-engagement-bytes"));
        assertThatThrownBy(() -> PipelineConfig.from(with("validation.max-engagement-bytes", "2000000")))
                .isInstanceOfSatisfying(
                        InvalidConfigurationException.class,
                        e -> assertThat(e.problems())
                                .extracting(ConfigProblem::reason)
                                .anyMatch(r -> r.contains("max.request.size=1048576")));
        // Raising the producer's limit makes room.
        assertThat(PipelineConfig.from(with(
                                "validation.max-engagement-bytes",
                                "2000000",
                                "kafka.producer.max.request.size",
                                "4194304"))
                        .topologySettings(1, false)
                        .limits()
                        .maxEngagementBytes())
                .isEqualTo(2_000_000);
        assertThatThrownBy(() -> PipelineConfig.from(
                        with("kafka.producer.max.request.size", "300000", "validation.max-engagement-bytes", "100000")))
                .isInstanceOfSatisfying(
                        InvalidConfigurationException.class,
                        e -> assertThat(e.problems())
                                .extracting(ConfigProblem::key)
                                .contains("kafka.producer.max.request.size"));
    }
}
