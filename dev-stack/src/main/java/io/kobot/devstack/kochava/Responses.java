package io.kobot.devstack.kochava;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.nio.AsyncResponseProducer;
import org.apache.hc.core5.http.nio.support.AsyncResponseBuilder;

/** The answers the stand-in gives, as Kochava gives them. */
final class Responses {
    /** Where a SmartLink sends the user; never followed by the client. */
    static final String APP_STORE = "https://example.com/app-store";

    private static final byte[] SUCCESS = "{\"success\":\"1\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REJECTED =
            "{\"success\":\"0\",\"error\":\"rejected by the stand-in\"}".getBytes(StandardCharsets.UTF_8);

    private Responses() {}

    /** An engagement accepted: 200 with Kochava's success body. */
    static AsyncResponseProducer eventAccepted() {
        return AsyncResponseBuilder.create(200)
                .setEntity(SUCCESS, ContentType.APPLICATION_JSON)
                .build();
    }

    /** A ping answered as a SmartLink answers: a redirect to the store. */
    static AsyncResponseProducer pingAnswered() {
        return AsyncResponseBuilder.create(302)
                .setHeader(HttpHeaders.LOCATION, APP_STORE)
                .build();
    }

    static AsyncResponseProducer fault(Fault fault, ScheduledExecutorService scheduler) {
        if (fault instanceof Fault.ServerError error) {
            return AsyncResponseBuilder.create(error.status()).build();
        } else if (fault instanceof Fault.Throttle throttle) {
            return AsyncResponseBuilder.create(429)
                    .setHeader(
                            HttpHeaders.RETRY_AFTER,
                            Long.toString(throttle.retryAfter().toSeconds()))
                    .build();
        } else if (fault instanceof Fault.Reject reject) {
            return AsyncResponseBuilder.create(reject.status())
                    .setEntity(REJECTED, ContentType.APPLICATION_JSON)
                    .build();
        } else if (fault instanceof Fault.Redirect redirect) {
            return AsyncResponseBuilder.create(redirect.status())
                    .setHeader(HttpHeaders.LOCATION, redirect.location().toString())
                    .build();
        } else if (fault instanceof Fault.TarPit tarPit) {
            return AsyncResponseBuilder.create(200)
                    .setEntity(new TarPitBody(scheduler, tarPit.interval()))
                    .build();
        }
        throw new IllegalArgumentException("Unknown fault: " + fault);
    }

    static AsyncResponseProducer status(int status, String text) {
        return AsyncResponseBuilder.create(status)
                .setEntity(text, ContentType.TEXT_PLAIN)
                .build();
    }

    static AsyncResponseProducer json(byte[] json) {
        return AsyncResponseBuilder.create(200)
                .setEntity(json, ContentType.APPLICATION_JSON)
                .build();
    }
}
