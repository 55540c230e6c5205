package io.kobot.streams.app;

import java.time.Duration;

/**
 * The Kafka cluster did not answer the start-up checks (exit code 4). The message is one paragraph an operator
 * can act on: the addresses tried, for how long, and what to check; the cause is for DEBUG logs only.
 */
public final class KafkaUnreachableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private static final String WHAT_TO_CHECK = "Check that the brokers are running and listening on these "
            + "host:port addresses, that this host can reach them (DNS, firewall, and the advertised listeners the "
            + "brokers answer with), and that kafka.security.protocol and the kafka.sasl.* / kafka.ssl.* settings "
            + "match those listeners.";

    private KafkaUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }

    static KafkaUnreachableException noAnswer(
            String bootstrapServers,
            String securityProtocol,
            String tried,
            Duration waited,
            Duration timeout,
            Throwable cause) {
        return new KafkaUnreachableException(
                "Cannot reach the Kafka cluster: no answer from bootstrap.servers="
                        + bootstrapServers + " (security.protocol=" + securityProtocol + ") to " + tried + " within "
                        + seconds(waited) + " (startup.kafka-timeout=" + timeout + "). " + WHAT_TO_CHECK,
                cause);
    }

    static KafkaUnreachableException unresolvable(String bootstrapServers, Throwable cause) {
        return new KafkaUnreachableException(
                "Cannot reach the Kafka cluster: none of bootstrap.servers=" + bootstrapServers
                        + " resolves to an address (" + cause.getMessage() + "). " + WHAT_TO_CHECK,
                cause);
    }

    static KafkaUnreachableException refused(String bootstrapServers, String securityProtocol, Throwable cause) {
        return new KafkaUnreachableException(
                "The Kafka cluster at bootstrap.servers=" + bootstrapServers
                        + " (security.protocol=" + securityProtocol + ") refused the connection: " + cause.getMessage()
                        + ". Check the credentials and certificates in kafka.sasl.* / kafka.ssl.*.",
                cause);
    }

    private static String seconds(Duration waited) {
        return String.format(java.util.Locale.ROOT, "%.1f s", waited.toMillis() / 1000.0);
    }
}
