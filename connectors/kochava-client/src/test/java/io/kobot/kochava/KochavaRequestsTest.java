package io.kobot.kochava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;
import io.kobot.schema.InteractionType;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KochavaRequestsTest {

    private final KochavaRequests requests = new KochavaRequests(KochavaClientConfig.defaults());

    @Test
    void eventWithLinkedIdsAndEverythingKnown() {
        Engagement engagement = Engagements.event("i-1", "kobot-demo", "fb-1")
                .setDeviceIds(Map.of("fb_user_id", "fb-1", "kochava_device_id", "KD123", "adid", "ad-9"))
                .setEventData("{\"id\":\"123\",\"currency\":\"USD\",\"sum\":100}")
                .setOriginationIp("203.0.113.7")
                .setUserAgent("Mozilla/5.0 (iPhone)")
                .build();

        KochavaRequest request = requests.forEngagement(engagement);

        assertThat(request.kind()).isEqualTo(KochavaRequest.Kind.EVENT);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri()).isEqualTo(URI.create("https://control.kochava.com/track/json"));
        assertThat(request.appId()).isEqualTo("kobot-demo");
        assertThat(request.body())
                .isEqualTo("{\"kochava_app_id\":\"kobot-demo\",\"action\":\"event\","
                        + "\"kochava_device_id\":\"KD123\",\"data\":{\"device_ids\":{\"fb_user_id\":\"fb-1\",\"adid\":\"ad-9\","
                        + "\"kochava_device_id\":\"KD123\"},\"event_name\":\"Purchase\","
                        + "\"event_data\":{\"id\":\"123\",\"currency\":\"USD\",\"sum\":100},\"usertime\":1700000000,"
                        + "\"origination_ip\":\"203.0.113.7\",\"device_ua\":\"Mozilla/5.0 (iPhone)\"}}");
    }

    @Test
    void eventDataValueStaysAJsonValue() {
        Engagement engagement = Engagements.event("i-1", "kobot-demo", "fb-1")
                .setEventData("\"20\"")
                .build();

        assertThat(requests.forEngagement(engagement).body())
                .isEqualTo("{\"kochava_app_id\":\"kobot-demo\","
                        + "\"action\":\"event\",\"data\":{\"device_ids\":{\"fb_user_id\":\"fb-1\"},\"event_name\":\"Purchase\","
                        + "\"event_data\":\"20\",\"usertime\":1700000000}}");
    }

    @Test
    void nullEventDataIsLeftOut() {
        Engagement engagement = Engagements.event("i-1", "kobot-demo", "fb-1")
                .setEventData(null)
                .build();

        assertThat(requests.forEngagement(engagement).body())
                .isEqualTo("{\"kochava_app_id\":\"kobot-demo\","
                        + "\"action\":\"event\",\"data\":{\"device_ids\":{\"fb_user_id\":\"fb-1\"},\"event_name\":\"Purchase\","
                        + "\"usertime\":1700000000}}");
    }

    @Test
    void fbUserIdFromDeviceIdsWhenTheFieldIsNull() {
        Engagement engagement =
                Engagements.event("i-1", "kobot-demo", "fb-1").setFbUserId(null).build();

        assertThat(requests.forEngagement(engagement).body()).contains("\"device_ids\":{\"fb_user_id\":\"fb-1\"}");
    }

    @Test
    void unsendableEventsAreRefused() {
        assertThatThrownBy(() -> requests.forEngagement(Engagements.event("i-1", "kobot-demo", "fb-1")
                        .setEventData("{\"sum\":")
                        .build()))
                .isInstanceOf(InvalidEngagementException.class)
                .hasMessage("event_data is not valid JSON");
        assertThatThrownBy(() -> requests.forEngagement(Engagements.event("i-1", "kobot-demo", "fb-1")
                        .setEventData("{} {}")
                        .build()))
                .isInstanceOf(InvalidEngagementException.class);
        assertThatThrownBy(() -> requests.forEngagement(Engagements.event("i-1", "kobot-demo", "fb-1")
                        .setEventName(null)
                        .build()))
                .isInstanceOf(InvalidEngagementException.class)
                .hasMessage("EVENT without event_name");
        assertThatThrownBy(() -> requests.forEngagement(Engagements.event("i-1", "kobot-demo", null)
                        .setDeviceIds(Map.of())
                        .build()))
                .isInstanceOf(InvalidEngagementException.class)
                .hasMessage("EVENT without fb_user_id");
    }

    @Test
    void arrayModeSendsAJsonArrayOfEvents() {
        KochavaRequests arrays = new KochavaRequests(KochavaClientConfig.from(Map.of("kochava.body-mode", "array")));
        Engagement first = Engagements.event("i-1", "kobot-demo", "fb-1").build();
        Engagement second = Engagements.event("i-2", "kobot-demo", "fb-2")
                .setEventName("Start Chatting")
                .build();

        KochavaRequest batch = arrays.eventBatch(List.of(first, second));

        assertThat(batch.body())
                .isEqualTo("[{\"kochava_app_id\":\"kobot-demo\",\"action\":\"event\",\"data\":"
                        + "{\"device_ids\":{\"fb_user_id\":\"fb-1\"},\"event_name\":\"Purchase\",\"usertime\":1700000000}},"
                        + "{\"kochava_app_id\":\"kobot-demo\",\"action\":\"event\",\"data\":{\"device_ids\":"
                        + "{\"fb_user_id\":\"fb-2\"},\"event_name\":\"Start Chatting\",\"usertime\":1700000000}}]");
        assertThat(batch.personalValues()).containsExactly("fb-1", "fb-2");
        assertThat(arrays.forEngagement(first).body()).startsWith("[{").endsWith("}]");
        assertThatThrownBy(() -> arrays.eventBatch(List.of(
                        first, Engagements.event("i-3", "other-app", "fb-3").build())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void identityLinkInKochavasDocumentedShape() {
        IdentityLink linked = IdentityLink.newBuilder()
                .setFbUserId("fb-1")
                .setDeviceIds(Map.of("kochava_device_id", "KD123", "idfa", "X", "fb_user_id", "fb-1"))
                .setUpdatedAt(Instant.EPOCH)
                .build();
        IdentityLink bare = IdentityLink.newBuilder()
                .setFbUserId("fb-2")
                .setDeviceIds(Map.of("fb_user_id", "fb-2"))
                .setUpdatedAt(Instant.EPOCH)
                .build();

        KochavaRequest request = requests.identityLink("kobot-demo", linked);

        assertThat(request.kind()).isEqualTo(KochavaRequest.Kind.IDENTITY_LINK);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri()).hasToString("https://control.kochava.com/v1/cpi/identityLink.php");
        assertThat(request.appId()).isEqualTo("kobot-demo");
        assertThat(request.personalValues()).containsExactly("fb-1");
        assertThat(request.body())
                .isEqualTo("{\"kochava_app_id\":\"kobot-demo\",\"device_id\":{\"idfa\":\"X\","
                        + "\"kochava_device_id\":\"KD123\"},\"data\":{\"fb_userid\":\"fb-1\"}}");
        assertThatThrownBy(() -> requests.identityLink("kobot-demo", bare))
                .isInstanceOf(InvalidEngagementException.class)
                .hasMessageNotContaining("fb-2");
        KochavaRequests elsewhere = new KochavaRequests(
                KochavaClientConfig.from(Map.of("kochava.identity-link.endpoint", "https://links.example/identity")));
        assertThat(elsewhere.identityLink("kobot-demo", linked).uri()).hasToString("https://links.example/identity");
    }

    @Test
    void pingAddsFbUserIdToTheQuery() {
        KochavaRequest request = requests.forEngagement(
                Engagements.ping(InteractionType.CLICK, "https://smart.kochava.com/l/abc?creative=7", "fb 1&2")
                        .build());

        assertThat(request.kind()).isEqualTo(KochavaRequest.Kind.PING);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.body()).isNull();
        assertThat(request.uri().toString())
                .isEqualTo("https://smart.kochava.com/l/abc?creative=7&fb_user_id=fb%201%262");
    }

    @Test
    void pingUrls() {
        assertThat(pingUri("https://smart.link/i", "fb-1")).isEqualTo("https://smart.link/i?fb_user_id=fb-1");
        assertThat(pingUri("https://smart.link/i?", "fb-1")).isEqualTo("https://smart.link/i?fb_user_id=fb-1");
        assertThat(pingUri("https://smart.link/i?a=1&", "fb-1")).isEqualTo("https://smart.link/i?a=1&fb_user_id=fb-1");
        assertThat(pingUri("https://smart.link/i?a=1#top", "fb-1"))
                .isEqualTo("https://smart.link/i?a=1&fb_user_id=fb-1#top");
        assertThat(pingUri("https://smart.link/i#top", "fb-1")).isEqualTo("https://smart.link/i?fb_user_id=fb-1#top");
        // already there, whatever the value: untouched
        assertThat(pingUri("https://smart.link/i?fb_user_id=other&a=1", "fb-1"))
                .isEqualTo("https://smart.link/i?fb_user_id=other&a=1");
        assertThat(pingUri("https://smart.link/i?a=1&fb%5Fuser%5Fid=x", "fb-1"))
                .isEqualTo("https://smart.link/i?a=1&fb%5Fuser%5Fid=x");
        // a parameter whose name merely contains it does not count
        assertThat(pingUri("https://smart.link/i?my_fb_user_id=x", "fb-1"))
                .isEqualTo("https://smart.link/i?my_fb_user_id=x&fb_user_id=fb-1");
        // no fb_user_id: untouched
        assertThat(pingUri("https://smart.link/i?a=1", null)).isEqualTo("https://smart.link/i?a=1");
    }

    @Test
    void pingParamNameIsConfigurable() {
        KochavaRequests custom =
                new KochavaRequests(KochavaClientConfig.from(Map.of("kochava.ping.fb-user-id-param", "psid")));

        KochavaRequest request = custom.forEngagement(
                Engagements.ping(InteractionType.IMPRESSION, "http://smart.link/i?fb_user_id=z", "fb-1")
                        .build());

        assertThat(request.uri().toString()).isEqualTo("http://smart.link/i?fb_user_id=z&psid=fb-1");
    }

    @Test
    void unsendablePingsAreRefused() {
        assertThatThrownBy(() -> pingUri(null, "fb-1")).isInstanceOf(InvalidEngagementException.class);
        assertThatThrownBy(() -> pingUri("ftp://smart.link/i", "fb-1")).isInstanceOf(InvalidEngagementException.class);
        assertThatThrownBy(() -> pingUri("/relative", "fb-1")).isInstanceOf(InvalidEngagementException.class);
        assertThatThrownBy(() -> pingUri("https://smart.link/a b", "fb-1"))
                .isInstanceOf(InvalidEngagementException.class);
    }

    @Test
    void toStringHidesTheQueryAndBody() {
        KochavaRequest request =
                requests.forEngagement(Engagements.ping(InteractionType.CLICK, "https://smart.link/i?a=1", "fb-secret")
                        .build());

        assertThat(request.toString()).doesNotContain("fb-secret").startsWith("PING GET https://smart.link/i?#");
        assertThat(requests.forEngagement(
                                Engagements.event("i", "app", "fb-secret").build())
                        .toString())
                .doesNotContain("fb-secret");
    }

    @Test
    void pingsToHostsOutsideTheAllowlistAreRefused() {
        assertThatThrownBy(() -> pingUri("https://evil.example/i", "fb-1"))
                .isInstanceOf(HostNotAllowedException.class)
                .hasMessage("tracking_url refused: its host evil.example is not in kochava.ping.allowed-hosts");
        assertThatThrownBy(() -> pingUri("http://control.kochava.com@10.0.0.1/", "fb-1"))
                .isInstanceOf(HostNotAllowedException.class);
        KochavaRequests extended = new KochavaRequests(
                KochavaClientConfig.from(Map.of("kochava.ping.allowed-hosts", "*.kochava.com, bücher.example")));
        assertThat(extended.forEngagement(
                                Engagements.ping(InteractionType.CLICK, "https://BÜCHER.example:8443/c?x=1", "fb-1")
                                        .build())
                        .uri()
                        .toString())
                .isEqualTo("https://xn--bcher-kva.example:8443/c?x=1&fb_user_id=fb-1");
    }

    private String pingUri(String url, String fbUserId) {
        return requests.forEngagement(Engagements.ping(InteractionType.IMPRESSION, url, fbUserId)
                        .build())
                .uri()
                .toString();
    }
}
