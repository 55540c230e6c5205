package io.kobot.messenger.app;

import static io.kobot.messenger.app.IntakeFixture.PAGE;
import static io.kobot.messenger.app.IntakeFixture.PSID;
import static io.kobot.messenger.app.IntakeFixture.postSigned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kobot.devstack.kochava.KochavaStandIn;
import io.kobot.devstack.kochava.ReceivedRequest;
import io.kobot.messenger.mapping.WebhookMapper;
import io.kobot.streams.app.Pipeline;
import io.kobot.streams.app.TopicPreflight;
import io.kobot.streams.config.PipelineConfig;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.KafkaBroker;
import io.kobot.testing.RealInfrastructureExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real broker and registry: signed webhooks to the running intake, the pipeline in this JVM (as
 * streams-app's own ITs start it), and the project's Kochava stand-in, which must receive exactly the expected pings
 * and events; webhooks Meta delivers twice reach Kochava once.
 */
@ExtendWith(RealInfrastructureExtension.class)
class MessengerToKochavaIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    @Test
    void webhooksReachKochavaOnceEachEvenWhenDeliveredTwice(KafkaBroker broker, ApicurioRegistry registry)
            throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String interactions = "m2k-interactions-" + suffix;
        KochavaStandIn kochava = KochavaStandIn.start();

        Map<String, String> pipelineRaw = new HashMap<>();
        pipelineRaw.put("application.id", "m2k-" + suffix);
        pipelineRaw.put("bootstrap.servers", broker.bootstrapServers());
        pipelineRaw.put("schema.registry.url", registry.confluentApiUrl());
        pipelineRaw.put("topics.interactions", interactions);
        pipelineRaw.put("topics.identity-links", "m2k-links-" + suffix);
        pipelineRaw.put("topics.engagements", "m2k-engagements-" + suffix);
        pipelineRaw.put("topics.deliveries", "m2k-deliveries-" + suffix);
        pipelineRaw.put("topics.dead-letters", "m2k-dlq-" + suffix);
        pipelineRaw.put("topics.create", "true");
        pipelineRaw.put("topics.partitions", "2");
        pipelineRaw.put("state.dir", state.toString());
        pipelineRaw.put("http.port", "0");
        pipelineRaw.put("kochava.endpoint", kochava.endpoint().toString());
        // The stand-in listens on loopback: allowed explicitly, as streams-app's ITs do.
        pipelineRaw.put("kochava.allow-private-addresses", "true");
        pipelineRaw.put("kochava.ping.allowed-hosts", KochavaStandIn.HOST);
        PipelineConfig pipelineConfig = PipelineConfig.from(pipelineRaw);

        Map<String, String> intakeRaw =
                IntakeFixture.config(broker.bootstrapServers(), registry.confluentApiUrl(), interactions);
        intakeRaw.put(
                "messenger.page." + PAGE + ".impression-url",
                kochava.baseUri().resolve("/impression") + "?campaign_id=it");
        intakeRaw.put("messenger.page." + PAGE + ".click-url", kochava.baseUri().resolve("/click") + "?creative=it");

        try (Pipeline pipeline = new Pipeline(pipelineConfig, new TopicPreflight(pipelineConfig).run())) {
            pipeline.start();
            try (MessengerIntake intake = IntakeFixture.start(intakeRaw)) {
                for (String file : List.of(
                        "delivery.json",
                        "message-text.json",
                        "postback-referral.json",
                        // Meta delivers these two again (e.g. our 200 was lost): same bodies, same ids.
                        "delivery.json",
                        "message-text.json",
                        // Published last, from the same user, so in the same partition after the copies: once it
                        // has reached Kochava, the copies have been judged.
                        "quick-reply.json")) {
                    assertThat(postSigned(intake, file)).as(file).isEqualTo(200);
                }

                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            assertThat(events(kochava)).hasSize(3);
                            assertThat(pings(kochava, "/impression")).hasSize(3);
                            assertThat(pings(kochava, "/click")).hasSize(1);
                        });

                List<JsonNode> events = events(kochava);
                assertThat(events)
                        .extracting(
                                event -> event.path("data").path("event_name").asText())
                        .containsExactlyInAnyOrder(
                                WebhookMapper.MESSAGE_EVENT,
                                WebhookMapper.POSTBACK_EVENT,
                                WebhookMapper.QUICK_REPLY_EVENT);
                assertThat(events).allSatisfy(event -> {
                    assertThat(event.path("kochava_app_id").asText()).isEqualTo("kobot-messenger-it");
                    assertThat(event.path("action").asText()).isEqualTo("event");
                    assertThat(event.path("data")
                                    .path("device_ids")
                                    .path("fb_user_id")
                                    .asText())
                            .isEqualTo(PSID);
                    assertThat(event.toString()).doesNotContain("hello, world");
                });
                assertThat(pings(kochava, "/impression"))
                        .allSatisfy(url -> assertThat(url).contains("campaign_id=it", "fb_user_id=" + PSID));
                assertThat(pings(kochava, "/click"))
                        .allSatisfy(url -> assertThat(url).contains("fb_user_id=" + PSID));
            }
        } finally {
            kochava.close();
        }
    }

    /** Every engagement event POSTed to the stand-in, one per object whether batched in arrays or not. */
    private static List<JsonNode> events(KochavaStandIn kochava) {
        List<JsonNode> events = new ArrayList<>();
        for (ReceivedRequest request : kochava.requests()) {
            if (!request.method().equals("POST") || !request.path().equals(KochavaStandIn.TRACK_PATH)) {
                continue;
            }
            assertThat(request.json()).as(request.body()).isNotNull();
            if (request.json().isArray()) {
                request.json().forEach(events::add);
            } else {
                events.add(request.json());
            }
        }
        return events;
    }

    /** The URIs of the GET pings to {@code path}. */
    private static List<String> pings(KochavaStandIn kochava, String path) {
        return kochava.requests().stream()
                .filter(request ->
                        request.method().equals("GET") && request.path().equals(path))
                .map(ReceivedRequest::uri)
                .toList();
    }
}
