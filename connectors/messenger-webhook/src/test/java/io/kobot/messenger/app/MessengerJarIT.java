package io.kobot.messenger.app;

import static io.kobot.messenger.app.IntakeFixture.PAGE;
import static io.kobot.messenger.app.IntakeFixture.SECRET;
import static io.kobot.messenger.app.IntakeFixture.sign;
import static io.kobot.messenger.app.IntakeFixture.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kobot.devstack.FreePorts;
import io.kobot.messenger.http.WebhookSignature;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar as operators run it: small, no Streams inside, exit codes, SIGTERM. */
@ExtendWith(RealInfrastructureExtension.class)
class MessengerJarIT {
    private static final Path JAR = Path.of("target", "kobot-messenger-webhook.jar");

    @TempDir
    Path dir;

    @Test
    void holdsNoKafkaStreamsNorBroker() throws Exception {
        assertThat(Files.size(JAR)).as("jar size").isLessThan(30L * 1024 * 1024);
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> names = Collections.list(jar.entries()).stream()
                    .map(e -> e.getName())
                    .toList();
            assertThat(names)
                    .contains("io/kobot/messenger/app/MessengerWebhookMain.class")
                    .noneMatch(name -> name.startsWith("org/apache/kafka/streams/"))
                    .noneMatch(name -> name.startsWith("org/rocksdb/"))
                    .noneMatch(name -> name.startsWith("kafka/server/"));
        }
    }

    @Test
    void refusesABadConfigurationWithExitCode2() throws Exception {
        Process process = java("validate-config", "--set", "bootstrap.servers=nowhere")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("validate.log").toFile())
                .start();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(dir.resolve("validate.log"));
        assertThat(process.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("messenger.app-secret: is required", "schema.registry.url: is required");
    }

    @Test
    void reportsAMissingSecretsFileAsOneProblemLineWithoutAStackTrace() throws Exception {
        Path missing = dir.resolve("secrets.properties");
        Process process = java(
                        "validate-config",
                        "--set",
                        "bootstrap.servers=broker:9092",
                        "--set",
                        "messenger.app-secret=${file:" + missing + ":app-secret}")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("secrets.log").toFile())
                .start();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(dir.resolve("secrets.log"));
        assertThat(process.exitValue()).as(output).isEqualTo(2);
        assertThat(output)
                .contains("cannot be resolved", missing.toString())
                .doesNotContain("NoSuchFileException", "\tat ", "ERROR");
    }

    @Test
    void servesUntilSigtermThenExits0(KafkaBroker broker) throws Exception {
        String topic = "messenger-jar-it-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic(topic, 1);
        int webhookPort = FreePorts.pick();
        int httpPort = FreePorts.pick();
        Path config = dir.resolve("messenger.properties");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "bootstrap.servers=" + broker.bootstrapServers(),
                        "schema.registry.url=mock://messenger-jar-it",
                        "topics.interactions=" + topic,
                        "messenger.app-secret=" + SECRET,
                        "messenger.verify-token=jar-token",
                        "webhook.port=" + webhookPort,
                        "http.port=" + httpPort,
                        "shutdown.timeout=PT10S",
                        "messenger.page." + PAGE + ".kochava-app-id=kobot-jar-it",
                        "messenger.page." + PAGE + ".forward=messages"));
        Path log = dir.resolve("run.log");
        Process process = java("run", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(90))
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(http.send(
                                            HttpRequest.newBuilder(URI.create(
                                                            "http://127.0.0.1:" + httpPort + "/health/ready"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode())
                            .as(Files.readString(log))
                            .isEqualTo(200));
            byte[] body = webhook("message-text.json");
            int status = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webhookPort + "/webhook"))
                                    .header(WebhookSignature.HEADER, sign(body))
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            assertThat(status).as(Files.readString(log)).isEqualTo(200);

            process.destroy(); // SIGTERM
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(output).isEqualTo(0);
            assertThat(output).contains("Messenger webhook intake closed").doesNotContain(SECRET);
        } finally {
            process.destroyForcibly();
        }
    }

    private static ProcessBuilder java(String... arguments) {
        List<String> command = new java.util.ArrayList<>(
                io.kobot.devstack.ChildJvm.command("-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command);
    }
}
