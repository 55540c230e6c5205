package io.kobot.messenger.app;

import static io.kobot.messenger.app.IntakeFixture.PAGE;
import static io.kobot.messenger.app.IntakeFixture.PSID;
import static io.kobot.messenger.app.IntakeFixture.get;
import static io.kobot.messenger.app.IntakeFixture.post;
import static io.kobot.messenger.app.IntakeFixture.postSigned;
import static io.kobot.messenger.app.IntakeFixture.readAll;
import static io.kobot.messenger.app.IntakeFixture.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kobot.devstack.EmbeddedKafkaBroker;
import io.kobot.devstack.TopicAdmin;
import io.kobot.messenger.app.IntakeFixture.Published;
import io.kobot.partitioning.JoinKeyPartitioner;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.DeadLetter;
import io.kobot.schema.InteractionType;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The intake against a real broker and a real schema registry (Apicurio). */
@ExtendWith(RealInfrastructureExtension.class)
class MessengerWebhookIT {
    private static final int PARTITIONS = 3;

    private static String topic(String name) {
        return "messenger-it-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void signedPostsArePublishedBeforeTheyAreAnsweredAndAForgedOneIsNot(KafkaBroker broker, ApicurioRegistry registry)
            throws Exception {
        String topic = topic("publish");
        broker.createTopic(topic, PARTITIONS);
        Map<String, String> config = IntakeFixture.config(broker.bootstrapServers(), registry.confluentApiUrl(), topic);

        try (MessengerIntake intake = IntakeFixture.start(config)) {
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(get(intake, "/health/ready").statusCode())
                            .isEqualTo(200));
            byte[] forgedBody = webhook("quick-reply.json");
            assertThat(post(
                            intake,
                            forgedBody,
                            new io.kobot.messenger.http.WebhookSignature("guessed").sign(forgedBody)))
                    .isEqualTo(403);

            assertThat(postSigned(intake, "delivery.json")).isEqualTo(200);
            assertThat(postSigned(intake, "message-text.json")).isEqualTo(200);
            assertThat(postSigned(intake, "postback-referral.json")).isEqualTo(200);

            // Answered 200 only once acknowledged: the records are there now, no waiting. The forged POST came
            // first, so had it been published it would be there too.
            List<Published> records = readAll(broker.bootstrapServers(), registry.confluentApiUrl(), topic, PARTITIONS);
            assertThat(records)
                    .extracting(record -> record.value().getInteractionId())
                    .hasSize(6)
                    .contains("delivery:m_greeting_1", "delivery:m_greeting_2", "delivery:m_greeting_3")
                    .doesNotContain("m_quick_1");
            int expectedPartition = Utils.toPositive(Utils.murmur2(PSID.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            assertThat(records).allSatisfy(record -> {
                assertThat(record.key()).isEqualTo(PSID);
                assertThat(record.partition()).isEqualTo(expectedPartition);
                assertThat(record.value().getKochavaAppId()).isEqualTo("kobot-messenger-it");
            });
            assertThat(records)
                    .extracting(record -> record.value().getType())
                    .containsExactlyInAnyOrder(
                            InteractionType.IMPRESSION,
                            InteractionType.IMPRESSION,
                            InteractionType.IMPRESSION,
                            InteractionType.EVENT,
                            InteractionType.CLICK,
                            InteractionType.EVENT);
            String metrics = get(intake, "/metrics").body();
            assertThat(metrics)
                    .contains("kobot_messenger_records_published_total 6.0")
                    .contains("kobot_messenger_requests_total{outcome=\"published\"} 3.0")
                    .contains("kobot_messenger_signature_failures_total{reason=\"mismatch\"} 1.0");
        }
    }

    @Test
    void withCrc32PlacementRecordsSitWhereAPipelinePlacingByCrc32LooksForThem(
            KafkaBroker broker, ApicurioRegistry registry) throws Exception {
        String topic = topic("crc32");
        broker.createTopic(topic, PARTITIONS);
        Map<String, String> config =
                new HashMap<>(IntakeFixture.config(broker.bootstrapServers(), registry.confluentApiUrl(), topic));
        config.put("partitioning.partitioner", "CRC32");
        byte[] user = PSID.getBytes(StandardCharsets.UTF_8);
        int crc32Partition = JoinKeyPartitioner.CRC32.partition(user, PARTITIONS);
        assertThat(crc32Partition)
                .as("the two functions place this user apart, so the test tells them apart")
                .isNotEqualTo(JoinKeyPartitioner.MURMUR2.partition(user, PARTITIONS));

        try (MessengerIntake intake = IntakeFixture.start(config)) {
            assertThat(postSigned(intake, "message-text.json")).isEqualTo(200);

            assertThat(readAll(broker.bootstrapServers(), registry.confluentApiUrl(), topic, PARTITIONS))
                    .isNotEmpty()
                    .allSatisfy(record -> {
                        assertThat(record.key()).isEqualTo(PSID);
                        assertThat(record.partition()).isEqualTo(crc32Partition);
                    });
        }
    }

    @Test
    void malformedItemsAreDeadLetteredBeforeTheRequestIsAnswered(KafkaBroker broker, ApicurioRegistry registry)
            throws Exception {
        String topic = topic("malformed");
        broker.createTopic(topic, PARTITIONS);
        broker.createTopic(topic + ".dlq", 1);
        Map<String, String> config = IntakeFixture.config(broker.bootstrapServers(), registry.confluentApiUrl(), topic);
        String malformed = "{\"sender\":{},\"timestamp\":1732529400000,\"message\":{\"mid\":\"m_no_sender\"}}";
        byte[] body = ("{\"object\":\"page\",\"entry\":[{\"id\":\"" + PAGE + "\",\"time\":1732529400000,"
                        + "\"messaging\":[" + malformed + ",{\"sender\":{\"id\":\"" + PSID + "\"},"
                        + "\"recipient\":{\"id\":\"" + PAGE + "\"},\"timestamp\":1732529400000,"
                        + "\"message\":{\"mid\":\"m_fine\",\"text\":\"hi\"}}]}]}")
                .getBytes(StandardCharsets.UTF_8);

        try (MessengerIntake intake = IntakeFixture.start(config)) {
            assertThat(post(intake, body, IntakeFixture.sign(body))).isEqualTo(200);

            // Answered 200 only once both are acknowledged: no waiting.
            assertThat(readAll(broker.bootstrapServers(), registry.confluentApiUrl(), topic, PARTITIONS))
                    .extracting(record -> record.value().getInteractionId())
                    .containsExactly("m_fine");
            List<DeadLetter> deadLetters = IntakeFixture.readDeadLetters(
                    broker.bootstrapServers(), registry.confluentApiUrl(), topic + ".dlq");
            assertThat(deadLetters).hasSize(1);
            DeadLetter deadLetter = deadLetters.get(0);
            assertThat(deadLetter.getReasonCode()).isEqualTo("WEBHOOK_ITEM_MALFORMED");
            assertThat(deadLetter.getStage()).isEqualTo("intake");
            assertThat(deadLetter.getSourceTopic()).isNull(); // so that a replay never takes it
            assertThat(deadLetter.getKochavaAppId()).isEqualTo("kobot-messenger-it");
            assertThat(StandardCharsets.UTF_8
                            .decode(deadLetter.getOriginalValue())
                            .toString())
                    .isEqualTo(malformed);
            assertThat(deadLetter.getMessage()).doesNotContain("m_no_sender");
            assertThat(get(intake, "/metrics").body())
                    .contains("kobot_messenger_dead_letters_total 1.0")
                    .contains("kobot_messenger_items_total{mapping=\"malformed\"} 1.0");
        }
    }

    @Test
    void whileTheBrokerIsDownPostsAre503AndARetryOnceItIsBackIsPublished(ApicurioRegistry registry) throws Exception {
        String topic = topic("outage");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                TopicAdmin admin = new TopicAdmin(broker.bootstrapServers())) {
            admin.createTopic(topic, PARTITIONS, Map.of());
            Map<String, String> config =
                    IntakeFixture.config(broker.bootstrapServers(), registry.confluentApiUrl(), topic);
            config.put("webhook.publish-timeout", "PT2S");
            try (MessengerIntake intake = IntakeFixture.start(config)) {
                assertThat(postSigned(intake, "message-text.json")).isEqualTo(200);

                broker.stopBroker();
                assertThat(postSigned(intake, "postback.json")).isEqualTo(503);
                await().atMost(Duration.ofSeconds(60))
                        .untilAsserted(
                                () -> assertThat(get(intake, "/health/ready").statusCode())
                                        .isEqualTo(503));
                assertThat(get(intake, "/metrics").body())
                        .contains("kobot_messenger_requests_total{outcome=\"publish-failed\"} 1.0");

                broker.startBroker();
                // Meta retries the webhook until it is answered 200.
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> postSigned(intake, "postback.json") == 200);

                List<String> ids =
                        readAll(broker.bootstrapServers(), registry.confluentApiUrl(), topic, PARTITIONS).stream()
                                .map(Published::value)
                                .map(BotInteraction::getInteractionId)
                                .toList();
                // The first attempt's record may have landed too (the producer kept retrying it): the pipeline's
                // deduplication drops the copy. Nothing is lost.
                assertThat(ids)
                        .contains(
                                "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P");
                assertThat(ids).filteredOn("m_postback_1"::equals).isNotEmpty();
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(
                                () -> assertThat(get(intake, "/health/ready").statusCode())
                                        .isEqualTo(200));
            }
        }
    }
}
