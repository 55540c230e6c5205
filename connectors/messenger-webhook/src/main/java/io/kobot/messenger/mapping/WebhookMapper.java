package io.kobot.messenger.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kobot.messenger.config.ForwardKind;
import io.kobot.messenger.config.PageSettings;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.InteractionType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps a Messenger Platform webhook body ({@code {"object":"page","entry":[{"id":…,"messaging":[…],
 * "standby":[…]}]}}) to {@link BotInteraction}s, per page (see docs/messenger.md for the table):
 *
 * <ul>
 *   <li>{@code delivery} → one IMPRESSION per delivered {@code mid} ({@code delivery:<mid>});
 *   <li>{@code referral}, and a {@code postback} carrying a {@code referral} → CLICK;
 *   <li>{@code message} → EVENT {@value #MESSAGE_EVENT} or, with a {@code quick_reply}, {@value #QUICK_REPLY_EVENT}
 *       (id: the {@code mid}); {@code postback} → EVENT {@value #POSTBACK_EVENT}; {@code read} → EVENT
 *       {@value #READ_EVENT} when the page forwards reads;
 *   <li>echoes of the page's own messages, unknown pages, kinds a page does not forward and kinds without a mapping
 *       are counted and left out.
 * </ul>
 *
 * <p>{@code fb_user_id} is the sender's page-scoped id, {@code occurred_at} the item's {@code timestamp} (for
 * deliveries and reads without one, the {@code watermark}). {@code event_data} never holds the message text or
 * attachments unless the page opts in. Items without a message id get a derived id that a resend reproduces
 * ({@link InteractionIds}). Hostile bodies cannot make it throw past {@link MalformedWebhookException}: every field
 * is checked for presence and type.
 */
public final class WebhookMapper {
    public static final String MESSAGE_EVENT = "Messenger Message";
    public static final String QUICK_REPLY_EVENT = "Messenger Quick Reply";
    public static final String POSTBACK_EVENT = "Messenger Postback";
    public static final String READ_EVENT = "Messenger Read";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, PageSettings> pages;

    public WebhookMapper(Map<String, PageSettings> pages) {
        this.pages = Map.copyOf(pages);
    }

    public MappedRequest map(JsonNode body) throws MalformedWebhookException {
        if (body == null || !body.isObject()) {
            throw new MalformedWebhookException("the body is not a JSON object");
        }
        Result result = new Result();
        JsonNode object = body.get("object");
        if (object != null && !"page".equals(object.asText())) {
            result.count(ItemOutcome.UNSUPPORTED); // Instagram, WhatsApp, … webhooks: not Messenger's
            return result.build();
        }
        JsonNode entries = body.get("entry");
        if (entries == null || !entries.isArray()) {
            throw new MalformedWebhookException("the body has no entry list");
        }
        for (JsonNode entry : entries) {
            mapEntry(entry, result);
        }
        return result.build();
    }

    private void mapEntry(JsonNode entry, Result result) {
        String pageId = text(entry.get("id"));
        if (!entry.isObject() || pageId == null) {
            result.malformed(entry, null, "an entry without a page id");
            return;
        }
        PageSettings page = pages.get(pageId);
        if (page == null) {
            result.unknownPages.add(pageId);
        }
        for (JsonNode item : items(entry, page, "messaging", result)) {
            if (page == null) {
                result.count(ItemOutcome.UNKNOWN_PAGE);
            } else {
                mapItem(page, item, false, result);
            }
        }
        for (JsonNode item : items(entry, page, "standby", result)) {
            if (page == null) {
                result.count(ItemOutcome.UNKNOWN_PAGE);
            } else if (!page.forwards(ForwardKind.STANDBY)) {
                result.count(ItemOutcome.NOT_FORWARDED);
            } else {
                mapItem(page, item, true, result);
            }
        }
    }

    /** The entry's list {@code name}; a value of another type counts as one malformed item. */
    private static JsonNode items(JsonNode entry, PageSettings page, String name, Result result) {
        JsonNode items = entry.path(name);
        if (items.isArray()) {
            return items;
        }
        if (!items.isMissingNode()) {
            result.malformed(entry, page, "an entry whose " + name + " is not a list");
        }
        return JSON.createArrayNode();
    }

    private void mapItem(PageSettings page, JsonNode item, boolean standby, Result result) {
        String psid = text(item.path("sender").get("id"));
        if (!item.isObject() || psid == null) {
            result.malformed(item, page, "an item without sender.id");
            return;
        }
        Item context = new Item(page, psid, epochMillis(item.get("timestamp")), standby, item);
        if (item.has("message")) {
            mapMessage(context, item.get("message"), result);
        } else if (item.has("postback")) {
            mapPostback(context, item.get("postback"), result);
        } else if (item.has("referral")) {
            mapReferral(context, item.get("referral"), result);
        } else if (item.has("delivery")) {
            mapDelivery(context, item.get("delivery"), result);
        } else if (item.has("read")) {
            mapRead(context, item.get("read"), result);
        } else {
            result.count(ItemOutcome.UNSUPPORTED);
        }
    }

    private void mapMessage(Item item, JsonNode message, Result result) {
        if (!message.isObject() || item.timestamp == null) {
            result.malformed(item.raw, item.page, "a message item without a timestamp or without an object");
            return;
        }
        if (message.path("is_echo").asBoolean(false)) {
            result.count(ItemOutcome.ECHO);
            return;
        }
        JsonNode quickReply = message.get("quick_reply");
        boolean isQuickReply = quickReply != null && quickReply.isObject();
        if (!item.page.forwards(isQuickReply ? ForwardKind.QUICK_REPLIES : ForwardKind.MESSAGES)) {
            result.count(ItemOutcome.NOT_FORWARDED);
            return;
        }
        String mid = text(message.get("mid"));
        String id = mid != null
                ? mid
                : InteractionIds.derive("message", item.page.pageId(), item.psid, "" + item.timestamp);
        ObjectNode data = item.eventData();
        if (isQuickReply) {
            putText(data, "payload", quickReply.get("payload"));
        }
        JsonNode text = message.get("text");
        JsonNode attachments = message.get("attachments");
        if (item.page.includeMessageContent()) {
            putText(data, "text", text);
            if (attachments != null && attachments.isArray()) {
                data.set("attachments", attachments.deepCopy());
            }
        } else {
            data.put(
                    "has_text",
                    text != null && text.isTextual() && !text.asText().isEmpty());
            ArrayNode types = data.putArray("attachment_types");
            for (JsonNode attachment :
                    attachments != null && attachments.isArray() ? attachments : JSON.createArrayNode()) {
                String type = text(attachment.get("type"));
                types.add(type == null ? "unknown" : type);
            }
        }
        result.add(ItemOutcome.EVENT, item.event(id, isQuickReply ? QUICK_REPLY_EVENT : MESSAGE_EVENT, data));
    }

    private void mapPostback(Item item, JsonNode postback, Result result) {
        if (!postback.isObject() || item.timestamp == null) {
            result.malformed(item.raw, item.page, "a postback item without a timestamp or without an object");
            return;
        }
        String mid = text(postback.get("mid"));
        String payload = text(postback.get("payload"));
        String title = text(postback.get("title"));
        String id = mid != null
                ? mid
                : InteractionIds.derive("postback", item.page.pageId(), item.psid, "" + item.timestamp, payload, title);
        JsonNode referral = postback.get("referral");
        boolean produced = false;
        if (referral != null && referral.isObject() && item.page.forwards(ForwardKind.CLICKS)) {
            result.add(ItemOutcome.CLICK, item.ping(InteractionType.CLICK, "click:" + id, item.page.clickUrl()));
            produced = true;
        }
        if (item.page.forwards(ForwardKind.POSTBACKS)) {
            ObjectNode data = item.eventData();
            putText(data, "title", postback.get("title"));
            putText(data, "payload", postback.get("payload"));
            if (referral != null && referral.isObject()) {
                putReferral(data, referral);
            }
            result.add(ItemOutcome.EVENT, item.event(id, POSTBACK_EVENT, data));
            produced = true;
        }
        if (!produced) {
            result.count(ItemOutcome.NOT_FORWARDED);
        }
    }

    private void mapReferral(Item item, JsonNode referral, Result result) {
        if (!referral.isObject() || item.timestamp == null) {
            result.malformed(item.raw, item.page, "a referral item without a timestamp or without an object");
            return;
        }
        if (!item.page.forwards(ForwardKind.CLICKS)) {
            result.count(ItemOutcome.NOT_FORWARDED);
            return;
        }
        String id = InteractionIds.derive(
                "click",
                item.page.pageId(),
                item.psid,
                "" + item.timestamp,
                text(referral.get("ref")),
                text(referral.get("source")),
                text(referral.get("type")),
                text(referral.get("ad_id")));
        result.add(ItemOutcome.CLICK, item.ping(InteractionType.CLICK, id, item.page.clickUrl()));
    }

    private void mapDelivery(Item item, JsonNode delivery, Result result) {
        Long watermark = epochMillis(delivery.get("watermark"));
        Long occurred = item.timestamp != null ? item.timestamp : watermark;
        JsonNode mids = delivery.get("mids");
        if (!delivery.isObject() || occurred == null || (mids != null && !mids.isArray())) {
            result.malformed(item.raw, item.page, "a delivery item without a time or with mids that are not a list");
            return;
        }
        if (!item.page.forwards(ForwardKind.IMPRESSIONS)) {
            result.count(ItemOutcome.NOT_FORWARDED);
            return;
        }
        Item at = item.at(occurred);
        if (mids == null || mids.isEmpty()) {
            // Meta may leave mids out: every message before the watermark was delivered. One impression, whose id a
            // resend of this webhook reproduces.
            String id = InteractionIds.derive("delivery", item.page.pageId(), item.psid, "" + watermark);
            result.add(ItemOutcome.IMPRESSION, at.ping(InteractionType.IMPRESSION, id, item.page.impressionUrl()));
            return;
        }
        for (JsonNode mid : mids) {
            String id = text(mid);
            if (id == null) {
                result.malformed(item.raw, item.page, "a delivery item with a mid that is not text");
            } else {
                result.add(
                        ItemOutcome.IMPRESSION,
                        at.ping(InteractionType.IMPRESSION, "delivery:" + id, item.page.impressionUrl()));
            }
        }
    }

    private void mapRead(Item item, JsonNode read, Result result) {
        Long watermark = epochMillis(read.get("watermark"));
        Long occurred = item.timestamp != null ? item.timestamp : watermark;
        if (!read.isObject() || occurred == null) {
            result.malformed(item.raw, item.page, "a read item without a time or without an object");
            return;
        }
        if (!item.page.forwards(ForwardKind.READS)) {
            result.count(ItemOutcome.NOT_FORWARDED);
            return;
        }
        ObjectNode data = item.eventData();
        if (watermark != null) {
            data.put("watermark", watermark);
        }
        String id = InteractionIds.derive("read", item.page.pageId(), item.psid, "" + watermark, "" + occurred);
        result.add(ItemOutcome.EVENT, item.at(occurred).event(id, READ_EVENT, data));
    }

    private static void putReferral(ObjectNode data, JsonNode referral) {
        putText(data, "ref", referral.get("ref"));
        putText(data, "source", referral.get("source"));
        putText(data, "ad_id", referral.get("ad_id"));
    }

    private static void putText(ObjectNode data, String name, JsonNode value) {
        String text = text(value);
        if (text != null) {
            data.put(name, text);
        }
    }

    /** A string field, or an id Meta wrote as a number; null when absent, empty or of another type. */
    private static String text(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual() && !node.asText().isEmpty()) {
            return node.asText();
        }
        return node.isIntegralNumber() && node.canConvertToLong() ? Long.toString(node.asLong()) : null;
    }

    /** A positive epoch-millis field; null when absent or of another type. */
    private static Long epochMillis(JsonNode node) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() <= 0) {
            return null;
        }
        return node.asLong();
    }

    /** One item's page, user, time and channel: what every record made of it shares. */
    private record Item(PageSettings page, String psid, Long timestamp, boolean standby, JsonNode raw) {
        Item at(long occurred) {
            return new Item(page, psid, occurred, standby, raw);
        }

        ObjectNode eventData() {
            ObjectNode data = JSON.createObjectNode();
            data.put("page_id", page.pageId());
            if (standby) {
                data.put("standby", true);
            }
            return data;
        }

        BotInteraction event(String id, String name, ObjectNode data) {
            return base(id, InteractionType.EVENT)
                    .setEventName(name)
                    .setEventData(data.toString())
                    .build();
        }

        BotInteraction ping(InteractionType type, String id, String trackingUrl) {
            return base(id, type).setTrackingUrl(trackingUrl).build();
        }

        private BotInteraction.Builder base(String id, InteractionType type) {
            return BotInteraction.newBuilder()
                    .setInteractionId(id)
                    .setKochavaAppId(page.kochavaAppId())
                    .setType(type)
                    .setFbUserId(psid)
                    .setOccurredAt(Instant.ofEpochMilli(timestamp))
                    .setDeviceIds(new HashMap<>());
        }
    }

    private static final class Result {
        private final List<BotInteraction> interactions = new ArrayList<>();
        private final Map<ItemOutcome, Integer> outcomes = new EnumMap<>(ItemOutcome.class);
        private final Set<String> unknownPages = new TreeSet<>();
        private final List<RejectedItem> rejected = new ArrayList<>();

        /** Counts a malformed item and keeps it, as it came, for the dead-letter topic. */
        void malformed(JsonNode node, PageSettings page, String why) {
            count(ItemOutcome.MALFORMED);
            rejected.add(new RejectedItem(
                    why, page == null ? null : page.pageId(), page == null ? null : page.kochavaAppId(), bytes(node)));
        }

        private static byte[] bytes(JsonNode node) {
            try {
                return JSON.writeValueAsBytes(node);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a parsed JSON tree always writes", e);
            }
        }

        void count(ItemOutcome outcome) {
            outcomes.merge(outcome, 1, Integer::sum);
        }

        void add(ItemOutcome outcome, BotInteraction interaction) {
            count(outcome);
            interactions.add(interaction);
        }

        MappedRequest build() {
            return new MappedRequest(interactions, outcomes, unknownPages, rejected);
        }
    }
}
