package io.kobot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApicurioRegistryIT {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Pattern ID = Pattern.compile("\\{\\s*\"id\"\\s*:\\s*(\\d+)\\s*}");

    private static ApicurioRegistry registry;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startRegistry() {
        long startNs = System.nanoTime();
        registry = ApicurioRegistry.start();
        System.out.println("Apicurio ready in " + TestClients.seconds(startNs));
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void urlsPointAtLoopback() {
        assertThat(registry.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(registry.confluentApiUrl()).isEqualTo(registry.baseUrl() + "/apis/ccompat/v7");
    }

    @Test
    void registersAndServesAvroSchemaThroughConfluentApi() throws Exception {
        String schema = "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"io.kobot.it\","
                + "\"fields\":[{\"name\":\"at\",\"type\":\"long\"}]}";
        String body = "{\"schema\":\"" + schema.replace("\"", "\\\"") + "\"}";

        HttpResponse<String> registered = http.send(
                HttpRequest.newBuilder(URI.create(registry.confluentApiUrl() + "/subjects/ping-value/versions"))
                        .header("Content-Type", CONTENT_TYPE)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).isEqualTo(200);
        Matcher id = ID.matcher(registered.body());
        assertThat(id.matches()).as("body %s", registered.body()).isTrue();

        HttpResponse<String> fetched = http.send(
                HttpRequest.newBuilder(URI.create(registry.confluentApiUrl() + "/schemas/ids/" + id.group(1)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).contains("Ping").contains("io.kobot.it");
    }
}
