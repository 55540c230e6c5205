package io.kobot.messenger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kobot.config.ConfigProblem;
import io.kobot.config.InvalidConfigurationException;
import io.kobot.partitioning.JoinKeyPartitioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntakeConfigTest {
    private static final String SECRET = "s3cr3t-app-secret";

    @TempDir
    Path dir;

    private static Map<String, String> minimal() {
        Map<String, String> raw = new HashMap<>();
        raw.put("bootstrap.servers", "broker:9092");
        raw.put("schema.registry.url", "http://registry:8080/apis/ccompat/v7");
        raw.put("messenger.app-secret", SECRET);
        raw.put("messenger.verify-token", "token-1");
        raw.put("messenger.page.104729384756.kochava-app-id", "kobot-app-1");
        raw.put("messenger.page.104729384756.impression-url", "https://imp.control.kochava.com/track/impression?c=1");
        raw.put("messenger.page.104729384756.click-url", "https://smart.link/abc");
        return raw;
    }

    private static List<String> problems(Map<String, String> raw) {
        try {
            IntakeConfig.from(raw);
            return List.of();
        } catch (InvalidConfigurationException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
    }

    @Test
    void readsPagesWithTheirDefaults() {
        Map<String, String> raw = minimal();
        raw.put("messenger.page.200.kochava-app-id", "kobot-app-2");
        raw.put("messenger.page.200.forward", "messages, reads");
        raw.put("messenger.page.200.include-message-content", "true");

        IntakeConfig config = IntakeConfig.from(raw);

        PageSettings first = config.pages().get("104729384756");
        assertThat(first.kochavaAppId()).isEqualTo("kobot-app-1");
        assertThat(first.forwarded())
                .containsExactlyInAnyOrder(
                        ForwardKind.IMPRESSIONS,
                        ForwardKind.CLICKS,
                        ForwardKind.MESSAGES,
                        ForwardKind.QUICK_REPLIES,
                        ForwardKind.POSTBACKS);
        assertThat(first.includeMessageContent()).isFalse();
        PageSettings second = config.pages().get("200");
        assertThat(second.forwarded()).containsExactlyInAnyOrder(ForwardKind.MESSAGES, ForwardKind.READS);
        assertThat(second.includeMessageContent()).isTrue();
        assertThat(second.impressionUrl()).isNull();
        assertThat(config.interactionsTopic()).isEqualTo("bot.interactions");
        assertThat(config.publishTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.webhookPath()).isEqualTo("/webhook");
        assertThat(config.appSecret().value()).isEqualTo(SECRET);
    }

    @Test
    void placesRecordsByMurmur2UnlessTheLikeOfThePipelineSaysCrc32() {
        assertThat(IntakeConfig.from(minimal()).partitioner()).isEqualTo(JoinKeyPartitioner.MURMUR2);
        Map<String, String> crc32 = minimal();
        crc32.put("partitioning.partitioner", "CRC32");
        assertThat(IntakeConfig.from(crc32).partitioner()).isEqualTo(JoinKeyPartitioner.CRC32);
        Map<String, String> byClass = minimal();
        byClass.put("kafka.partitioner.class", "com.example.Crc32Partitioner");
        assertThat(problems(byClass))
                .anySatisfy(problem ->
                        assertThat(problem).startsWith("kafka.partitioner.class: is set by partitioning.partitioner"));
    }

    @Test
    void reportsEveryProblemAtOnceWithoutSecrets() {
        Map<String, String> raw = minimal();
        raw.put("messenger.app-secret", "");
        raw.put("messenger.page.104729384756.forward", "clicks,likes");
        raw.put("messenger.page.300.forward", "impressions");
        raw.put("messenger.page.abc.kochava-app-id", "x");
        raw.put("messenger.page.104729384756.kochava-app-idd", "x");
        raw.put("webhook.publish-timeout", "PT25S");
        raw.put("kafka.acks", "1");
        raw.put("kafka.enable.idempotence", "false");
        raw.put("webhok.port", "1");

        List<String> problems = problems(raw);

        assertThat(problems)
                .contains(
                        "messenger.app-secret: is required",
                        "messenger.page.300.kochava-app-id: is required",
                        "messenger.page.300.impression-url: is required when the page forwards impressions",
                        "webhook.publish-timeout: must be less than PT20S: Meta counts a webhook unanswered after 20 s"
                                + " and retries it",
                        "messenger.page.abc.kochava-app-id: page keys are messenger.page.<numeric page id>.<key>",
                        "messenger.page.104729384756.kochava-app-idd: unknown key; did you mean kochava-app-id?",
                        "webhok.port: unknown key; did you mean webhook.port?")
                .anySatisfy(problem -> assertThat(problem).startsWith("messenger.page.104729384756.forward: must be"))
                .anySatisfy(problem -> assertThat(problem).startsWith("kafka.acks: is set by acks=all"))
                .anySatisfy(problem -> assertThat(problem).startsWith("kafka.enable.idempotence: is set by"));
        assertThat(String.join("\n", problems)).doesNotContain(SECRET);
    }

    @Test
    void requiresAPage() {
        Map<String, String> raw = minimal();
        raw.keySet().removeIf(key -> key.startsWith("messenger.page."));

        assertThat(problems(raw)).anySatisfy(problem -> assertThat(problem).contains("at least one page is required"));
    }

    @Test
    void takesSecretsFromFilesAndTheEnvironmentAndPageKeysFromVariables() throws Exception {
        Path secrets = dir.resolve("secrets.properties");
        Files.writeString(secrets, "app.secret=" + SECRET + "\n");
        Path file = dir.resolve("intake.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "bootstrap.servers=broker:9092",
                        "schema.registry.url=http://registry:8080",
                        "messenger.app-secret=${file:" + secrets + ":app.secret}",
                        "messenger.verify-token=${env:VERIFY}",
                        "messenger.page.1.kochava-app-id=from-file"));
        Map<String, String> env = Map.of(
                "VERIFY", "token-from-env",
                "KOBOT_MESSENGER_PAGE_1_KOCHAVA__APP__ID", "from-env",
                "KOBOT_MESSENGER_PAGE_1_FORWARD", "messages");

        IntakeConfig config = IntakeConfig.load(Optional.of(file), env, List.of("webhook.port=9999"));

        assertThat(config.appSecret().value()).isEqualTo(SECRET);
        assertThat(config.verifyToken().value()).isEqualTo("token-from-env");
        assertThat(config.pages().get("1").kochavaAppId()).isEqualTo("from-env");
        assertThat(config.webhookPort()).isEqualTo(9999);
    }

    @Test
    void anUnresolvableReferenceIsAProblemNotALiteral() {
        Map<String, String> raw = minimal();
        raw.put("messenger.verify-token", "${env:KOBOT_TEST_SURELY_UNSET_VARIABLE}");

        assertThatThrownBy(() -> IntakeConfig.from(raw))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("messenger.verify-token");
    }

    @Test
    void securitySettingsPassThroughToTheClients() {
        Map<String, String> raw = minimal();
        raw.put("kafka.security.protocol", "SASL_SSL");

        assertThat(IntakeConfig.from(raw).kafkaProperties()).containsEntry("security.protocol", "SASL_SSL");
    }
}
