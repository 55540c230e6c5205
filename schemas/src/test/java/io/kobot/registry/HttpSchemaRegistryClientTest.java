package io.kobot.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.kobot.devstack.FreePorts;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.IdentityLink;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP client against a stubbed Confluent-compatible registry under Apicurio's base path. */
class HttpSchemaRegistryClientTest {

    private static final String BASE = "/apis/ccompat/v7";
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    @RegisterExtension
    static WireMockExtension registry = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static Map<String, Object> config(Object... extra) {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", registry.baseUrl() + BASE);
        config.put("schema.registry.retry.backoff.ms", 1);
        for (int i = 0; i < extra.length; i += 2) {
            config.put((String) extra[i], extra[i + 1]);
        }
        return config;
    }

    private static SchemaRegistryClient client(Object... extra) {
        return SchemaRegistryClients.create(SchemaRegistryConfig.from(config(extra)));
    }

    private static String error(int code, String message) {
        return "{\"error_code\":" + code + ",\"message\":\"" + message + "\"}";
    }

    @Test
    void registersOncePerSubjectAndSchema() {
        registry.stubFor(post(BASE + "/subjects/interactions-value/versions").willReturn(okJson("{\"id\":7}")));

        try (SchemaRegistryClient client = client()) {
            assertThat(client.register("interactions-value", BotInteraction.getClassSchema()))
                    .isEqualTo(7);
            assertThat(client.register("interactions-value", BotInteraction.getClassSchema()))
                    .isEqualTo(7);
            // Registering also taught the client what id 7 is.
            assertThat(client.getById(7)).isEqualTo(BotInteraction.getClassSchema());
        }

        registry.verify(
                1,
                postRequestedFor(urlEqualTo(BASE + "/subjects/interactions-value/versions"))
                        .withHeader("Content-Type", equalTo(CONTENT_TYPE + "; charset=UTF-8"))
                        .withHeader("Accept", equalTo(CONTENT_TYPE + ", application/json"))
                        .withRequestBody(equalToJson("{\"schema\":"
                                + jsonString(BotInteraction.getClassSchema().toString()) + "}")));
        registry.verify(0, getRequestedFor(urlEqualTo(BASE + "/schemas/ids/7")));
    }

    @Test
    void serializerRegistersOncePerSubjectNotPerRecord() {
        registry.stubFor(post(BASE + "/subjects/interactions-value/versions").willReturn(okJson("{\"id\":3}")));

        try (SpecificAvroSerializer<BotInteraction> serializer = new SpecificAvroSerializer<>()) {
            serializer.configure(config(), false);
            for (int i = 0; i < 5; i++) {
                assertThat(AvroWireFormat.schemaId(
                                serializer.serialize("interactions", TestRecords.botInteraction("i-" + i))))
                        .isEqualTo(3);
            }
        }

        registry.verify(1, postRequestedFor(urlEqualTo(BASE + "/subjects/interactions-value/versions")));
    }

    @Test
    void serializerWithoutAutoRegisterLooksTheSchemaUp() {
        registry.stubFor(post(BASE + "/subjects/links-value")
                .willReturn(okJson("{\"subject\":\"links-value\",\"version\":1,\"id\":11,\"schema\":\"\"}")));

        try (SpecificAvroSerializer<IdentityLink> serializer = new SpecificAvroSerializer<>()) {
            serializer.configure(config("auto.register.schemas", "false"), false);
            assertThat(AvroWireFormat.schemaId(serializer.serialize("links", TestRecords.identityLink())))
                    .isEqualTo(11);
            serializer.serialize("links", TestRecords.identityLink());
        }

        registry.verify(
                1,
                postRequestedFor(urlEqualTo(BASE + "/subjects/links-value"))
                        .withRequestBody(equalToJson("{\"schema\":"
                                + jsonString(IdentityLink.getClassSchema().toString()) + "}")));
        registry.verify(0, postRequestedFor(urlEqualTo(BASE + "/subjects/links-value/versions")));
    }

    @Test
    void lookupOfAnUnregisteredSchemaSaysWhatToDo() {
        registry.stubFor(post(BASE + "/subjects/links-value")
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", CONTENT_TYPE)
                        .withBody(error(40403, "Schema not found"))));

        try (SchemaRegistryClient client = client()) {
            assertThatThrownBy(() -> client.lookup("links-value", IdentityLink.getClassSchema()))
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining("links-value")
                    .hasMessageContaining("40403")
                    .hasMessageContaining("auto.register.schemas=true");
        }
    }

    @Test
    void fetchesASchemaByIdOnce() {
        registry.stubFor(get(BASE + "/schemas/ids/5")
                .willReturn(okJson("{\"schema\":"
                        + jsonString(IdentityLink.getClassSchema().toString()) + "}")));

        try (SchemaRegistryClient client = client()) {
            assertThat(client.getById(5)).isEqualTo(IdentityLink.getClassSchema());
            assertThat(client.getById(5)).isEqualTo(IdentityLink.getClassSchema());
        }

        registry.verify(1, getRequestedFor(urlEqualTo(BASE + "/schemas/ids/5")));
    }

    @Test
    void sendsBasicAuthOnEveryRequest() {
        registry.stubFor(post(BASE + "/subjects/s-value/versions").willReturn(okJson("{\"id\":1}")));
        registry.stubFor(get(BASE + "/schemas/ids/2")
                .willReturn(okJson("{\"schema\":"
                        + jsonString(IdentityLink.getClassSchema().toString()) + "}")));

        try (SchemaRegistryClient client =
                client("basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "svc:s3cret")) {
            client.register("s-value", BotInteraction.getClassSchema());
            client.getById(2);
        }

        String expected = "Basic c3ZjOnMzY3JldA==";
        registry.verify(
                1,
                postRequestedFor(urlEqualTo(BASE + "/subjects/s-value/versions"))
                        .withHeader("Authorization", equalTo(expected)));
        registry.verify(
                1, getRequestedFor(urlEqualTo(BASE + "/schemas/ids/2")).withHeader("Authorization", equalTo(expected)));
    }

    @Test
    void unknownIdIsUnknownSchemaIdException() {
        registry.stubFor(get(BASE + "/schemas/ids/404")
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", CONTENT_TYPE)
                        .withBody(error(40403, "Schema 404 not found"))));

        try (SchemaRegistryClient client = client()) {
            assertThatThrownBy(() -> client.getById(404))
                    .isInstanceOfSatisfying(
                            UnknownSchemaIdException.class,
                            e -> assertThat(e.schemaId()).isEqualTo(404))
                    .hasMessageContaining("Schema id 404")
                    .hasMessageContaining("40403")
                    .hasMessageContaining("schema.registry.url");
        }
        registry.verify(1, getRequestedFor(urlEqualTo(BASE + "/schemas/ids/404")));
    }

    @Test
    void retriesUnavailableAndSucceeds() {
        String path = BASE + "/subjects/r-value/versions";
        registry.stubFor(post(path)
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("once"));
        registry.stubFor(post(path)
                .inScenario("flaky")
                .whenScenarioStateIs("once")
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("twice"));
        registry.stubFor(
                post(path).inScenario("flaky").whenScenarioStateIs("twice").willReturn(okJson("{\"id\":9}")));

        try (SchemaRegistryClient client = client()) {
            assertThat(client.register("r-value", BotInteraction.getClassSchema()))
                    .isEqualTo(9);
        }

        registry.verify(3, postRequestedFor(urlEqualTo(path)));
    }

    @Test
    void givesUpAfterMaxRetries() {
        registry.stubFor(get(BASE + "/schemas/ids/1")
                .willReturn(aResponse()
                        .withStatus(503)
                        .withHeader("Content-Type", CONTENT_TYPE)
                        .withBody(error(50003, "Error while forwarding the request"))));

        try (SchemaRegistryClient client = client("schema.registry.max.retries", 2)) {
            assertThatThrownBy(() -> client.getById(1))
                    .isInstanceOf(SchemaRegistryUnavailableException.class)
                    .hasMessageContaining("fetching schema id 1")
                    .hasMessageContaining("after 3 attempt(s)")
                    .hasMessageContaining("HTTP 503")
                    .hasMessageContaining("schema.registry.url");
        }

        registry.verify(3, getRequestedFor(urlEqualTo(BASE + "/schemas/ids/1")));
    }

    @Test
    void incompatibleSchemaIsSchemaRegistryException() {
        registry.stubFor(post(BASE + "/subjects/c-value/versions")
                .willReturn(aResponse()
                        .withStatus(409)
                        .withHeader("Content-Type", CONTENT_TYPE)
                        .withBody(error(409, "Incompatible schema"))));

        try (SchemaRegistryClient client = client()) {
            assertThatThrownBy(() -> client.register("c-value", BotInteraction.getClassSchema()))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(409);
                        assertThat(e.errorCode()).isEqualTo(409);
                    })
                    .hasMessageContaining("c-value")
                    .hasMessageContaining("Incompatible schema")
                    .hasMessageContaining("compatibility level");
        }
        // A rejection is final: no retry.
        registry.verify(1, postRequestedFor(urlEqualTo(BASE + "/subjects/c-value/versions")));
    }

    @Test
    void unauthorizedPointsAtTheCredentialsWithoutShowingThem() {
        registry.stubFor(get(BASE + "/schemas/ids/1")
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", CONTENT_TYPE)
                        .withBody(error(401, "Unauthorized"))));

        try (SchemaRegistryClient client =
                client("basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "svc:s3cret")) {
            assertThatThrownBy(() -> client.getById(1))
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining("HTTP 401")
                    .hasMessageContaining("basic.auth.user.info")
                    .hasMessageNotContaining("s3cret");
        }
    }

    @Test
    void movesToTheNextUrlOnIoErrors() throws IOException {
        registry.stubFor(get(BASE + "/schemas/ids/4")
                .willReturn(okJson("{\"schema\":"
                        + jsonString(IdentityLink.getClassSchema().toString()) + "}")));
        String dead = "http://localhost:" + FreePorts.pick() + BASE;

        try (SchemaRegistryClient client = client(
                "schema.registry.url", dead + "," + registry.baseUrl() + BASE, "schema.registry.max.retries", 0)) {
            assertThat(client.getById(4)).isEqualTo(IdentityLink.getClassSchema());
        }
    }

    @Test
    void unreachableRegistryIsUnavailable() throws IOException {
        String dead = "http://localhost:" + FreePorts.pick();

        try (SchemaRegistryClient client = client("schema.registry.url", dead, "schema.registry.max.retries", 1)) {
            assertThatThrownBy(() -> client.getById(1))
                    .isInstanceOf(SchemaRegistryUnavailableException.class)
                    .hasMessageContaining("after 2 attempt(s)")
                    .hasCauseInstanceOf(IOException.class);
        }
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {400, 405, 409, 410, 415, 422})
    void anotherClientErrorOnAnIdIsTheRecordsFaultAndIsRemembered(int status) {
        registry.stubFor(get(BASE + "/schemas/ids/5")
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", CONTENT_TYPE)
                        .withBody(error(status * 100 + 1, "nope"))));

        try (SchemaRegistryClient client = client()) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> client.getById(5))
                        .isInstanceOfSatisfying(
                                UnsupportedSchemaException.class,
                                e -> assertThat(e.schemaId()).isEqualTo(5))
                        .hasMessageContaining("HTTP " + status);
            }
        }
        // One request for three records: the answer is final for the id, so it is remembered.
        registry.verify(1, getRequestedFor(urlEqualTo(BASE + "/schemas/ids/5")));
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {401, 403})
    void refusedCredentialsAreTheOperatorsProblemAndAreNeverRemembered(int status) {
        registry.stubFor(get(BASE + "/schemas/ids/6")
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", CONTENT_TYPE)
                        .withBody(error(status, "denied"))));

        try (SchemaRegistryClient client = client()) {
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> client.getById(6))
                        .isInstanceOf(SchemaRegistryException.class)
                        .isNotInstanceOf(UnsupportedSchemaException.class)
                        .hasMessageContaining("HTTP " + status);
            }
        }
        registry.verify(2, getRequestedFor(urlEqualTo(BASE + "/schemas/ids/6")));
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {429, 500, 502, 503, 504})
    void outagesAreUnavailableAndAreNeverRemembered(int status) {
        registry.stubFor(get(BASE + "/schemas/ids/8").willReturn(aResponse().withStatus(status)));

        try (SchemaRegistryClient client = client("schema.registry.max.retries", 0)) {
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> client.getById(8)).isInstanceOf(SchemaRegistryUnavailableException.class);
            }
        }
        registry.verify(2, getRequestedFor(urlEqualTo(BASE + "/schemas/ids/8")));
    }

    @Test
    void aTimeoutIsAnOutage() {
        registry.stubFor(get(BASE + "/schemas/ids/12")
                .willReturn(okJson("{\"schema\":\"\\\"string\\\"\"}").withFixedDelay(2_000)));

        try (SchemaRegistryClient client =
                client("schema.registry.max.retries", 0, "schema.registry.request.timeout.ms", 200)) {
            assertThatThrownBy(() -> client.getById(12)).isInstanceOf(SchemaRegistryUnavailableException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JSON", "PROTOBUF"})
    void aSchemaThatIsNotAvroIsUnsupportedAndRemembered(String type) {
        registry.stubFor(
                get(BASE + "/schemas/ids/9").willReturn(okJson("{\"schemaType\":\"" + type + "\",\"schema\":\"{}\"}")));

        try (SchemaRegistryClient client = client()) {
            assertThatThrownBy(() -> client.getById(9))
                    .isInstanceOf(UnsupportedSchemaException.class)
                    .hasMessageContaining(type);
            assertThatThrownBy(() -> client.getById(9)).isInstanceOf(UnsupportedSchemaException.class);
        }
        registry.verify(1, getRequestedFor(urlEqualTo(BASE + "/schemas/ids/9")));
    }

    @Test
    void anUnparseableSchemaIsUnsupported() {
        registry.stubFor(
                get(BASE + "/schemas/ids/10").willReturn(okJson("{\"schema\":\"{\\\"type\\\":\\\"nonsense\\\"}\"}")));

        try (SchemaRegistryClient client = client()) {
            assertThatThrownBy(() -> client.getById(10))
                    .isInstanceOf(UnsupportedSchemaException.class)
                    .hasMessageContaining("not a valid Avro schema");
        }
    }

    @Test
    void anUnknownIdIsRememberedForTheTtlOnly() {
        registry.stubFor(get(BASE + "/schemas/ids/11")
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", CONTENT_TYPE)
                        .withBody(error(40403, "Schema 11 not found"))));

        try (SchemaRegistryClient remembering = client();
                SchemaRegistryClient forgetting = client("schema.registry.negative.cache.ttl.ms", 0)) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> remembering.getById(11)).isInstanceOf(UnknownSchemaIdException.class);
            }
            registry.verify(1, getRequestedFor(urlEqualTo(BASE + "/schemas/ids/11")));
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> forgetting.getById(11)).isInstanceOf(UnknownSchemaIdException.class);
            }
            registry.verify(4, getRequestedFor(urlEqualTo(BASE + "/schemas/ids/11")));
        }
    }

    @Test
    void encodesTheSubjectInThePath() {
        registry.stubFor(post(BASE + "/subjects/odd%20topic-value/versions").willReturn(okJson("{\"id\":2}")));

        try (SchemaRegistryClient client = client()) {
            assertThat(client.register("odd topic-value", BotInteraction.getClassSchema()))
                    .isEqualTo(2);
        }
    }

    private static String jsonString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
