package io.kobot.devstack.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schema unrelated to BotInteraction (a record with one string field), whose id a fuzzed record then claims to be
 * written with.
 */
public final class ForeignSchema {
    private static final String SCHEMA = "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Foreign\\\","
            + "\\\"fields\\\":[{\\\"name\\\":\\\"text\\\",\\\"type\\\":\\\"string\\\"}]}\"}";
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    private ForeignSchema() {}

    /** Registers it under {@code subject} through the Confluent API at {@code confluentApiUrl}; returns its id. */
    public static int register(String confluentApiUrl, String subject) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(confluentApiUrl + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(SCHEMA))
                .build();
        try {
            String body = HttpClient.newHttpClient()
                    .send(request, HttpResponse.BodyHandlers.ofString())
                    .body();
            Matcher id = ID.matcher(body);
            if (!id.find()) {
                throw new IllegalStateException("Registry did not register the foreign schema: " + body);
            }
            return Integer.parseInt(id.group(1));
        } catch (IOException e) {
            throw new IllegalStateException("Registry unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
