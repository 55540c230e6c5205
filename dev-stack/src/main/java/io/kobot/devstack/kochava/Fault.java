package io.kobot.devstack.kochava;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * A wrong answer the stand-in can give instead of Kochava's success, to every request ({@link
 * KochavaStandIn#answerWith}) or to one interaction's ({@link KochavaStandIn#failInteraction}). Refused connections
 * and a slow round trip are not answers: see {@link KochavaStandIn#refuseConnections} and {@link
 * KochavaStandIn#delayAnswers}.
 */
public sealed interface Fault {

    /** A server error, e.g. 503: transient for the client. */
    record ServerError(int status) implements Fault {
        public ServerError {
            if (status < 500 || status > 599) {
                throw new IllegalArgumentException("Not a 5xx status: " + status);
            }
        }
    }

    /** 429 Too Many Requests with {@code Retry-After} in whole seconds. */
    record Throttle(Duration retryAfter) implements Fault {
        public Throttle {
            if (retryAfter.isNegative()) {
                throw new IllegalArgumentException("A negative Retry-After: " + retryAfter);
            }
        }
    }

    /** A permanent client error, e.g. 400 for an app Kochava does not know. */
    record Reject(int status) implements Fault {
        public Reject {
            if (status < 400 || status > 499 || status == 408 || status == 429) {
                throw new IllegalArgumentException("Not a permanent 4xx status: " + status);
            }
        }
    }

    /** A redirect, e.g. 307, that the client must not follow for an event. */
    record Redirect(int status, URI location) implements Fault {
        public Redirect {
            if (status < 300 || status > 399) {
                throw new IllegalArgumentException("Not a 3xx status: " + status);
            }
            Objects.requireNonNull(location, "location");
        }
    }

    /** A tar-pit: 200 and its headers at once, then one byte of body per {@code interval}, never finishing. */
    record TarPit(Duration interval) implements Fault {
        public TarPit {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("The tar-pit interval must be positive: " + interval);
            }
        }
    }

    static Fault serverError() {
        return new ServerError(503);
    }

    static Fault throttle(Duration retryAfter) {
        return new Throttle(retryAfter);
    }

    static Fault reject() {
        return new Reject(400);
    }

    static Fault redirect(URI location) {
        return new Redirect(307, location);
    }

    static Fault tarPit(Duration interval) {
        return new TarPit(interval);
    }
}
