package io.kobot.messenger.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kobot.messenger.config.ForwardKind;
import io.kobot.messenger.config.PageSettings;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.InteractionType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The mapping of every webhook kind, from bodies in the shapes Meta documents (src/test/resources/webhooks). */
class WebhookMapperTest {
    static final String PAGE = "104729384756";
    static final String PSID = "6583920174628351";
    static final String APP = "kobot-bot-7f3a";
    static final String IMPRESSION_URL = "https://imp.control.kochava.com/track/impression?campaign_id=ko1";
    static final String CLICK_URL = "https://smart.link/abc123?creative_id=9";

    private static final ObjectMapper JSON = new ObjectMapper();

    static PageSettings page(Set<ForwardKind> forwarded, boolean content) {
        return new PageSettings(PAGE, APP, IMPRESSION_URL, CLICK_URL, forwarded, content);
    }

    static PageSettings defaultPage() {
        return page(
                EnumSet.of(
                        ForwardKind.IMPRESSIONS,
                        ForwardKind.CLICKS,
                        ForwardKind.MESSAGES,
                        ForwardKind.QUICK_REPLIES,
                        ForwardKind.POSTBACKS),
                false);
    }

    private static MappedRequest map(String file, PageSettings page) throws Exception {
        return new WebhookMapper(Map.of(PAGE, page)).map(body(file));
    }

    static JsonNode body(String file) throws IOException {
        try (InputStream in = WebhookMapperTest.class.getResourceAsStream("/webhooks/" + file)) {
            return JSON.readTree(in);
        }
    }

    private static JsonNode data(BotInteraction interaction) throws IOException {
        return JSON.readTree(interaction.getEventData());
    }

    @Test
    void textMessageIsAnEventWithoutTheText() throws Exception {
        MappedRequest mapped = map("message-text.json", defaultPage());

        assertThat(mapped.interactions()).hasSize(1);
        BotInteraction event = mapped.interactions().get(0);
        assertThat(event.getType()).isEqualTo(InteractionType.EVENT);
        assertThat(event.getInteractionId()).startsWith("m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM");
        assertThat(event.getKochavaAppId()).isEqualTo(APP);
        assertThat(event.getFbUserId()).isEqualTo(PSID);
        assertThat(event.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1764590400000L));
        assertThat(event.getEventName()).isEqualTo(WebhookMapper.MESSAGE_EVENT);
        assertThat(event.getTrackingUrl()).isNull();
        assertThat(event.getEventData()).doesNotContain("hello");
        assertThat(data(event))
                .isEqualTo(JSON.readTree("{\"page_id\":\"" + PAGE + "\",\"has_text\":true,\"attachment_types\":[]}"));
        assertThat(mapped.count(ItemOutcome.EVENT)).isEqualTo(1);
    }

    @Test
    void attachmentsAreReducedToTheirTypes() throws Exception {
        BotInteraction event =
                map("message-attachments.json", defaultPage()).interactions().get(0);

        assertThat(event.getInteractionId()).isEqualTo("m_attach_1");
        assertThat(event.getEventData()).doesNotContain("fbcdn", "passport", "url");
        assertThat(data(event))
                .isEqualTo(JSON.readTree(
                        "{\"page_id\":\"" + PAGE + "\",\"has_text\":false,\"attachment_types\":[\"image\",\"file\"]}"));
    }

    @Test
    void aPageThatOptsInGetsTheTextAndAttachments() throws Exception {
        PageSettings optedIn = page(EnumSet.of(ForwardKind.MESSAGES), true);

        JsonNode text = data(map("message-text.json", optedIn).interactions().get(0));
        JsonNode attachments =
                data(map("message-attachments.json", optedIn).interactions().get(0));

        assertThat(text.get("text").asText()).isEqualTo("hello, world!");
        assertThat(attachments
                        .get("attachments")
                        .get(1)
                        .get("payload")
                        .get("url")
                        .asText())
                .endsWith("my-passport.pdf");
    }

    @Test
    void quickReplyIsAnEventWithItsPayload() throws Exception {
        BotInteraction event =
                map("quick-reply.json", defaultPage()).interactions().get(0);

        assertThat(event.getEventName()).isEqualTo(WebhookMapper.QUICK_REPLY_EVENT);
        assertThat(event.getInteractionId()).isEqualTo("m_quick_1");
        assertThat(data(event))
                .isEqualTo(JSON.readTree("{\"page_id\":\"" + PAGE
                        + "\",\"payload\":\"PICKED_RED\",\"has_text\":true,\"attachment_types\":[]}"));
    }

    @Test
    void postbackWithoutReferralIsAnEventOnly() throws Exception {
        MappedRequest mapped = map("postback.json", defaultPage());

        assertThat(mapped.interactions()).hasSize(1);
        BotInteraction event = mapped.interactions().get(0);
        assertThat(event.getType()).isEqualTo(InteractionType.EVENT);
        assertThat(event.getEventName()).isEqualTo(WebhookMapper.POSTBACK_EVENT);
        assertThat(event.getInteractionId()).isEqualTo("m_postback_1");
        assertThat(data(event))
                .isEqualTo(JSON.readTree(
                        "{\"page_id\":\"" + PAGE + "\",\"title\":\"Show offers\",\"payload\":\"SHOW_OFFERS\"}"));
    }

    @Test
    void postbackWithReferralIsAClickAndAnEvent() throws Exception {
        MappedRequest mapped = map("postback-referral.json", defaultPage());

        assertThat(mapped.interactions())
                .extracting(BotInteraction::getType)
                .containsExactly(InteractionType.CLICK, InteractionType.EVENT);
        BotInteraction click = mapped.interactions().get(0);
        BotInteraction event = mapped.interactions().get(1);
        assertThat(click.getTrackingUrl()).isEqualTo(CLICK_URL);
        assertThat(click.getFbUserId()).isEqualTo(PSID);
        assertThat(click.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1764590404000L));
        // No mid on this postback: a derived id, the click's distinct from the event's.
        assertThat(event.getInteractionId()).startsWith("postback:");
        assertThat(click.getInteractionId()).isEqualTo("click:" + event.getInteractionId());
        assertThat(data(event).get("ref").asText()).isEqualTo("spring-campaign");
        assertThat(mapped.count(ItemOutcome.CLICK)).isEqualTo(1);
        assertThat(mapped.count(ItemOutcome.EVENT)).isEqualTo(1);
    }

    @Test
    void referralIsAClickWithAStableDerivedId() throws Exception {
        MappedRequest first = map("referral.json", defaultPage());
        MappedRequest resent = map("referral.json", defaultPage());

        assertThat(first.interactions()).hasSize(1);
        BotInteraction click = first.interactions().get(0);
        assertThat(click.getType()).isEqualTo(InteractionType.CLICK);
        assertThat(click.getTrackingUrl()).isEqualTo(CLICK_URL);
        assertThat(click.getFbUserId()).isEqualTo(PSID);
        assertThat(click.getEventName()).isNull();
        assertThat(click.getInteractionId()).matches("click:[0-9a-f]{40}");
        assertThat(resent.interactions().get(0).getInteractionId()).isEqualTo(click.getInteractionId());
    }

    @Test
    void deliveryIsOneImpressionPerMid() throws Exception {
        MappedRequest mapped = map("delivery.json", defaultPage());

        assertThat(mapped.interactions())
                .extracting(BotInteraction::getInteractionId)
                .containsExactly("delivery:m_greeting_1", "delivery:m_greeting_2", "delivery:m_greeting_3");
        assertThat(mapped.interactions()).allSatisfy(impression -> {
            assertThat(impression.getType()).isEqualTo(InteractionType.IMPRESSION);
            assertThat(impression.getTrackingUrl()).isEqualTo(IMPRESSION_URL);
            assertThat(impression.getFbUserId()).isEqualTo(PSID);
            // No item timestamp: the watermark.
            assertThat(impression.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1764590406000L));
        });
        assertThat(mapped.count(ItemOutcome.IMPRESSION)).isEqualTo(3);
    }

    @Test
    void deliveryWithoutMidsIsOneImpressionKeyedByTheWatermark() throws Exception {
        JsonNode body = JSON.readTree("{\"object\":\"page\",\"entry\":[{\"id\":\"" + PAGE + "\",\"messaging\":[{"
                + "\"sender\":{\"id\":\"" + PSID + "\"},\"recipient\":{\"id\":\"" + PAGE + "\"},"
                + "\"delivery\":{\"watermark\":1764590406000}}]}]}");

        List<BotInteraction> impressions =
                new WebhookMapper(Map.of(PAGE, defaultPage())).map(body).interactions();

        assertThat(impressions).singleElement().satisfies(impression -> {
            assertThat(impression.getType()).isEqualTo(InteractionType.IMPRESSION);
            assertThat(impression.getInteractionId()).matches("delivery:[0-9a-f]{40}");
        });
    }

    @Test
    void readsAreIgnoredUnlessThePageForwardsThem() throws Exception {
        MappedRequest ignored = map("read.json", defaultPage());
        MappedRequest forwarded = map("read.json", page(EnumSet.of(ForwardKind.READS), false));

        assertThat(ignored.interactions()).isEmpty();
        assertThat(ignored.count(ItemOutcome.NOT_FORWARDED)).isEqualTo(1);
        BotInteraction read = forwarded.interactions().get(0);
        assertThat(read.getType()).isEqualTo(InteractionType.EVENT);
        assertThat(read.getEventName()).isEqualTo(WebhookMapper.READ_EVENT);
        assertThat(read.getInteractionId()).matches("read:[0-9a-f]{40}");
        assertThat(read.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1764590407500L));
        assertThat(data(read).get("watermark").asLong()).isEqualTo(1764590407000L);
    }

    @Test
    void standbyItemsAreMappedOnlyWhenThePageForwardsStandby() throws Exception {
        MappedRequest ignored = map("standby.json", defaultPage());
        MappedRequest forwarded =
                map("standby.json", page(EnumSet.of(ForwardKind.MESSAGES, ForwardKind.STANDBY), false));

        assertThat(ignored.interactions()).isEmpty();
        assertThat(ignored.count(ItemOutcome.NOT_FORWARDED)).isEqualTo(1);
        BotInteraction event = forwarded.interactions().get(0);
        assertThat(event.getInteractionId()).isEqualTo("m_standby_1");
        assertThat(event.getEventName()).isEqualTo(WebhookMapper.MESSAGE_EVENT);
        assertThat(data(event).get("standby").asBoolean()).isTrue();
        assertThat(event.getEventData()).doesNotContain("anyone");
    }

    @Test
    void echoesOfThePagesOwnMessagesAreLeftOut() throws Exception {
        MappedRequest mapped = map("echo.json", defaultPage());

        assertThat(mapped.interactions()).isEmpty();
        assertThat(mapped.count(ItemOutcome.ECHO)).isEqualTo(1);
    }

    @Test
    void kindsThePageDoesNotForwardAreCounted() throws Exception {
        PageSettings eventsOnly = page(EnumSet.of(ForwardKind.MESSAGES), false);

        assertThat(map("delivery.json", eventsOnly).count(ItemOutcome.NOT_FORWARDED))
                .isEqualTo(1);
        assertThat(map("referral.json", eventsOnly).count(ItemOutcome.NOT_FORWARDED))
                .isEqualTo(1);
        assertThat(map("quick-reply.json", eventsOnly).count(ItemOutcome.NOT_FORWARDED))
                .isEqualTo(1);
        assertThat(map("postback-referral.json", eventsOnly).count(ItemOutcome.NOT_FORWARDED))
                .isEqualTo(1);
        assertThat(map("postback-referral.json", eventsOnly).interactions()).isEmpty();
    }

    @Test
    void itemsOfAnUnknownPageAreCounted() throws Exception {
        MappedRequest mapped = new WebhookMapper(Map.of("999", defaultPage())).map(body("delivery.json"));

        assertThat(mapped.interactions()).isEmpty();
        assertThat(mapped.count(ItemOutcome.UNKNOWN_PAGE)).isEqualTo(1);
        assertThat(mapped.unknownPages()).containsExactly(PAGE);
    }

    @Test
    void unsupportedKindsAndObjectsAreCounted() throws Exception {
        WebhookMapper mapper = new WebhookMapper(Map.of(PAGE, defaultPage()));
        JsonNode reaction = JSON.readTree("{\"object\":\"page\",\"entry\":[{\"id\":\"" + PAGE + "\",\"messaging\":[{"
                + "\"sender\":{\"id\":\"" + PSID + "\"},\"timestamp\":1,"
                + "\"reaction\":{\"mid\":\"m_1\",\"action\":\"react\",\"emoji\":\"x\"}}]}]}");
        JsonNode instagram = JSON.readTree("{\"object\":\"instagram\",\"entry\":[]}");

        assertThat(mapper.map(reaction).count(ItemOutcome.UNSUPPORTED)).isEqualTo(1);
        assertThat(mapper.map(instagram).count(ItemOutcome.UNSUPPORTED)).isEqualTo(1);
    }

    @Test
    void hostileItemsAreCountedAsMalformedWithoutStoppingTheRest() throws Exception {
        WebhookMapper mapper = new WebhookMapper(Map.of(PAGE, defaultPage()));
        String good = "{\"sender\":{\"id\":\"" + PSID + "\"},\"timestamp\":5,\"message\":{\"mid\":\"m_ok\"}}";
        JsonNode body = JSON.readTree("{\"object\":\"page\",\"entry\":[" + "\"not an entry\","
                + "{\"id\":\"" + PAGE + "\",\"standby\":{\"a\":1},\"messaging\":["
                + "42,"
                + "{\"sender\":{},\"timestamp\":1,\"message\":{\"mid\":\"m_1\"}},"
                + "{\"sender\":{\"id\":[1]},\"timestamp\":1,\"message\":{\"mid\":\"m_1\"}},"
                + "{\"sender\":{\"id\":\"" + PSID + "\"},\"timestamp\":\"yesterday\",\"message\":{\"mid\":\"m_1\"}},"
                + "{\"sender\":{\"id\":\"" + PSID + "\"},\"timestamp\":-4,\"message\":{\"mid\":\"m_1\"}},"
                + "{\"sender\":{\"id\":\"" + PSID + "\"},\"timestamp\":1,\"message\":\"text\"},"
                + "{\"sender\":{\"id\":\"" + PSID + "\"},\"delivery\":{\"mids\":\"m_1\",\"watermark\":1}},"
                + "{\"sender\":{\"id\":\"" + PSID + "\"},\"delivery\":{\"mids\":[1.5,{}],\"watermark\":1}},"
                + "{\"sender\":{\"id\":\"" + PSID + "\"},\"delivery\":{\"mids\":[\"m_2\"]}},"
                + "{\"sender\":{\"id\":\"" + PSID + "\"},\"timestamp\":1,"
                + "\"message\":{\"mid\":\"m_3\",\"attachments\":{\"type\":\"image\"}}},"
                + good + "]}]}");

        MappedRequest mapped = mapper.map(body);

        assertThat(mapped.interactions())
                .extracting(BotInteraction::getInteractionId)
                .containsExactly("m_3", "m_ok");
        assertThat(mapped.count(ItemOutcome.MALFORMED)).isEqualTo(12);
        // Each one is kept, as it came, for the dead-letter topic; the reason never quotes it.
        assertThat(mapped.rejected()).hasSize(12);
        assertThat(mapped.rejected().get(0).pageId()).isNull();
        assertThat(new String(mapped.rejected().get(0).item(), StandardCharsets.UTF_8))
                .isEqualTo("\"not an entry\"");
        assertThat(mapped.rejected().subList(1, 12))
                .allSatisfy(item -> assertThat(item.pageId()).isEqualTo(PAGE))
                .allSatisfy(item ->
                        assertThat(item.kochavaAppId()).isEqualTo(defaultPage().kochavaAppId()));
        assertThat(mapped.rejected())
                .extracting(RejectedItem::why)
                .allSatisfy(why -> assertThat(why).doesNotContain(PSID).doesNotContain("m_1"));
        assertThat(mapped.rejected())
                .extracting(item -> new String(item.item(), StandardCharsets.UTF_8))
                .contains("42", "{\"sender\":{},\"timestamp\":1,\"message\":{\"mid\":\"m_1\"}}");
    }

    @Test
    void aBodyThatIsNotAWebhookIsRefused() {
        WebhookMapper mapper = new WebhookMapper(Map.of(PAGE, defaultPage()));

        assertThatThrownBy(() -> mapper.map(JSON.readTree("[1,2]"))).isInstanceOf(MalformedWebhookException.class);
        assertThatThrownBy(() -> mapper.map(JSON.readTree("{\"object\":\"page\",\"entry\":{}}")))
                .isInstanceOf(MalformedWebhookException.class);
    }

    @Test
    void severalEntriesAndItemsKeepTheirOrder() throws Exception {
        JsonNode body = JSON.readTree("{\"object\":\"page\",\"entry\":["
                + body("delivery.json").get("entry").get(0) + ","
                + body("postback.json").get("entry").get(0) + "]}");

        MappedRequest mapped = new WebhookMapper(Map.of(PAGE, defaultPage())).map(body);

        assertThat(mapped.interactions())
                .extracting(BotInteraction::getInteractionId)
                .containsExactly(
                        "delivery:m_greeting_1", "delivery:m_greeting_2", "delivery:m_greeting_3", "m_postback_1");
    }
}
