package io.kobot.kochava;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;
import io.kobot.schema.InteractionType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Builds the requests of Kochava's bot integration from engagements and identity links. Pure: no I/O, thread-safe.
 *
 * <p>Event body, fields in this order (absent ones left out):
 * <pre>
 * {"kochava_app_id": ..., "action": "event", "kochava_device_id": ...,
 *  "data": {"device_ids": {"fb_user_id": ..., &lt;other device ids by name&gt;}, "event_name": ...,
 *           "event_data": &lt;the JSON of event_data&gt;, "usertime": &lt;occurred_at, epoch seconds&gt;,
 *           "origination_ip": ..., "device_ua": ...}}
 * </pre>
 */
public final class KochavaRequests {

    static final String FB_USER_ID = "fb_user_id";
    static final String KOCHAVA_DEVICE_ID = "kochava_device_id";
    /** The identity key of fb_user_id in an IdentityLink request's data, as Kochava's documentation spells it. */
    static final String IDENTITY_LINK_FB_USER_ID = "fb_userid";

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final URI endpoint;
    private final URI identityLinkEndpoint;
    private final BodyMode bodyMode;
    private final String fbUserIdParam;
    private final PingHostAllowlist allowedHosts;

    public KochavaRequests(KochavaClientConfig config) {
        this.endpoint = config.endpoint();
        this.identityLinkEndpoint = config.identityLinkEndpoint();
        this.bodyMode = config.bodyMode();
        this.fbUserIdParam = config.fbUserIdParam();
        this.allowedHosts = config.pingAllowedHosts();
    }

    /**
     * The request for one engagement: a POST for an EVENT (a one-element array in {@link BodyMode#ARRAY}), a GET on
     * the tracking URL for an IMPRESSION or CLICK.
     *
     * @throws InvalidEngagementException when the engagement cannot be sent as it is
     */
    public KochavaRequest forEngagement(Engagement engagement) {
        if (engagement.getType() != InteractionType.EVENT) return ping(engagement);
        return bodyMode == BodyMode.ARRAY ? eventBatch(List.of(engagement)) : event(engagement);
    }

    /** One EVENT as a single JSON object. */
    public KochavaRequest event(Engagement engagement) {
        return post(
                KochavaRequest.Kind.EVENT,
                eventBody(engagement),
                engagement.getKochavaAppId(),
                List.of(fbUserId(engagement)));
    }

    /**
     * EVENTs of one app as a JSON array of event objects, for {@link BodyMode#ARRAY}.
     *
     * @throws IllegalArgumentException when {@code events} is empty or spans several apps
     */
    public KochavaRequest eventBatch(List<Engagement> events) {
        if (events.isEmpty()) throw new IllegalArgumentException("An event batch needs at least one event");
        String appId = events.get(0).getKochavaAppId();
        ArrayNode array = MAPPER.createArrayNode();
        List<String> fbUserIds = new ArrayList<>(events.size());
        for (Engagement event : events) {
            if (!event.getKochavaAppId().equals(appId))
                throw new IllegalArgumentException("An event batch must hold events of a single app");
            array.add(eventBody(event));
            fbUserIds.add(fbUserId(event));
        }
        return post(KochavaRequest.Kind.EVENT, array, appId, fbUserIds);
    }

    /**
     * A GET on the engagement's tracking URL, with fb_user_id added when known and not already there.
     *
     * @throws InvalidEngagementException when the URL is missing or invalid, or its host is not allowed
     */
    public KochavaRequest ping(Engagement engagement) {
        String url = engagement.getTrackingUrl();
        if (url == null || url.isBlank())
            throw new InvalidEngagementException(engagement.getType() + " without tracking_url");
        PingHostAllowlist.Verdict verdict = allowedHosts.check(url);
        if (!verdict.allowed()) throw new HostNotAllowedException("tracking_url refused: " + verdict.reason());
        String fbUserId = fbUserIdOrNull(engagement);
        String target = fbUserId == null ? url.trim() : PingUrl.withParam(url.trim(), fbUserIdParam, fbUserId);
        URI uri;
        try {
            uri = new URI(target);
            if (uri.getHost() == null) {
                // An internationalised host name: sent in its ASCII form.
                uri = new URI(uri.getScheme() + "://" + verdict.asciiAuthority()
                        + target.substring(target.indexOf(uri.getRawAuthority())
                                + uri.getRawAuthority().length()));
            }
        } catch (URISyntaxException e) {
            throw new InvalidEngagementException("tracking_url is not a valid URL: " + e.getReason());
        }
        List<String> personal = fbUserId == null ? List.of() : List.of(fbUserId);
        return new KochavaRequest(KochavaRequest.Kind.PING, uri, null, engagement.getKochavaAppId(), personal);
    }

    /**
     * The IdentityLink request telling Kochava that {@code link}'s device identifiers belong to its fb_user_id, in
     * the shape Kochava documents (support.kochava.com, "IdentityLink Setup"), POSTed to
     * {@code kochava.identity-link.endpoint}:
     * <pre>
     * {"kochava_app_id": ..., "device_id": {&lt;identifier name&gt;: &lt;value&gt;, ...}, "data": {"fb_userid": ...}}
     * </pre>
     * {@code device_id} holds the link's device_ids, sorted by name, less any fb_user_id entry (the identity goes in
     * {@code data}, under the key the documentation names for it).
     *
     * @throws InvalidEngagementException when the link has no device identifier (Kochava requires one)
     */
    public KochavaRequest identityLink(String appId, IdentityLink link) {
        Objects.requireNonNull(appId, "appId");
        ObjectNode root = MAPPER.createObjectNode();
        root.put("kochava_app_id", appId);
        ObjectNode deviceIds = root.putObject("device_id");
        new TreeMap<>(link.getDeviceIds()).forEach((name, value) -> {
            if (!name.equals(FB_USER_ID)) deviceIds.put(name, value);
        });
        if (deviceIds.isEmpty()) throw new InvalidEngagementException("identity link without device identifiers");
        root.putObject("data").put(IDENTITY_LINK_FB_USER_ID, link.getFbUserId());
        try {
            return new KochavaRequest(
                    KochavaRequest.Kind.IDENTITY_LINK,
                    identityLinkEndpoint,
                    MAPPER.writeValueAsString(root),
                    appId,
                    List.of(link.getFbUserId()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree always serializes", e);
        }
    }

    ObjectNode eventBody(Engagement engagement) {
        if (engagement.getType() != InteractionType.EVENT)
            throw new IllegalArgumentException("Not an EVENT: " + engagement.getType());
        if (engagement.getEventName() == null) throw new InvalidEngagementException("EVENT without event_name");
        String fbUserId = fbUserId(engagement);
        Map<String, String> deviceIds = engagement.getDeviceIds();

        ObjectNode root = MAPPER.createObjectNode();
        root.put("kochava_app_id", engagement.getKochavaAppId());
        root.put("action", "event");
        String kochavaDeviceId = deviceIds.get(KOCHAVA_DEVICE_ID);
        if (kochavaDeviceId != null) root.put(KOCHAVA_DEVICE_ID, kochavaDeviceId);

        ObjectNode data = root.putObject("data");
        ObjectNode ids = data.putObject("device_ids");
        ids.put(FB_USER_ID, fbUserId);
        // Sorted, so the same engagement always gives the same bytes whatever map the decoder built.
        new TreeMap<>(deviceIds).forEach((name, value) -> {
            if (!name.equals(FB_USER_ID)) ids.put(name, value);
        });
        data.put("event_name", engagement.getEventName());
        if (engagement.getEventData() != null) data.set("event_data", parseEventData(engagement.getEventData()));
        data.put("usertime", engagement.getOccurredAt().getEpochSecond());
        if (engagement.getOriginationIp() != null) data.put("origination_ip", engagement.getOriginationIp());
        if (engagement.getUserAgent() != null) data.put("device_ua", engagement.getUserAgent());
        return root;
    }

    private static JsonNode parseEventData(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) throw new InvalidEngagementException("event_data is empty");
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidEngagementException("event_data is not valid JSON");
        }
    }

    private static String fbUserId(Engagement engagement) {
        String fbUserId = fbUserIdOrNull(engagement);
        if (fbUserId == null) throw new InvalidEngagementException(engagement.getType() + " without fb_user_id");
        return fbUserId;
    }

    private static String fbUserIdOrNull(Engagement engagement) {
        String fbUserId = engagement.getFbUserId();
        return fbUserId != null ? fbUserId : engagement.getDeviceIds().get(FB_USER_ID);
    }

    private KochavaRequest post(KochavaRequest.Kind kind, JsonNode body, String appId, List<String> personalValues) {
        try {
            return new KochavaRequest(kind, endpoint, MAPPER.writeValueAsString(body), appId, personalValues);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree always serializes", e);
        }
    }
}
