package io.kobot.bench;

import io.kobot.devstack.kochava.KochavaStandIn;
import io.kobot.devstack.kochava.StandInOptions;
import io.kobot.kochava.KochavaClientConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A named set of receiver and delivery settings for the conditions users run in ({@code --scenario}): the
 * receiver's round trip, TLS and HTTP versions, and the client settings that go with them. Options given on the
 * command line win over the scenario's.
 *
 * @param name what {@code --scenario} takes
 * @param latencyMs the receiver's answer delay, a simulated round trip
 * @param tls whether the receiver serves https
 * @param http the HTTP versions the receiver speaks
 * @param delivery {@code delivery.*} settings of the client and the sink, sized to the target rate times the round
 *     trip
 */
record Scenario(String name, int latencyMs, boolean tls, StandInOptions.Http http, Map<String, String> delivery) {

    /** The default: loopback, plain HTTP/1.1, the application's delivery defaults; the ceilings. */
    static final Scenario LOOPBACK = new Scenario("loopback", 0, false, StandInOptions.Http.HTTP1, Map.of());

    /**
     * Kochava 50 ms away over TLS, offering HTTP/2 (the client negotiates it by ALPN). For the 20,000
     * records/s: 70 % are event POSTs, 14,000/s x 50 ms = 700 in flight, 30 % pings, 300 in flight; about twice that
     * is allowed, over 16 connections per pool of up to 100 streams each (the stand-in's limit, as many servers').
     */
    static final Scenario RTT50_H2_TLS = new Scenario(
            "rtt50-h2-tls",
            50,
            true,
            StandInOptions.Http.H2,
            ordered(
                    KochavaClientConfig.MAX_IN_FLIGHT, "1600",
                    KochavaClientConfig.PING_MAX_IN_FLIGHT, "800",
                    KochavaClientConfig.H2_MAX_CONNECTIONS, "16",
                    KochavaClientConfig.H2_MAX_CONCURRENT_STREAMS,
                            Integer.toString(KochavaStandIn.MAX_CONCURRENT_STREAMS)));

    /**
     * Kochava 50 ms away over plain HTTP/1.1, one request per connection: 1,024 connections and as many POSTs in
     * flight (20,480 requests/s at most), and half as many for the pings (their own pool).
     */
    static final Scenario RTT50_H1 = new Scenario("rtt50-h1", 50, false, StandInOptions.Http.HTTP1, http1Pools());

    static final Map<String, Scenario> ALL = Map.of(
            LOOPBACK.name(), LOOPBACK,
            RTT50_H2_TLS.name(), RTT50_H2_TLS,
            RTT50_H1.name(), RTT50_H1);

    static Scenario named(String name) {
        Scenario scenario = ALL.get(name);
        if (scenario == null) {
            throw new IllegalArgumentException("Unknown scenario " + name + "; one of " + names());
        }
        return scenario;
    }

    static String names() {
        return ALL.keySet().stream().sorted().collect(Collectors.joining(", "));
    }

    private static Map<String, String> http1Pools() {
        return ordered(
                KochavaClientConfig.MAX_CONNECTIONS, "1024",
                KochavaClientConfig.MAX_IN_FLIGHT, "1024",
                KochavaClientConfig.PING_MAX_CONNECTIONS, "512",
                KochavaClientConfig.PING_MAX_IN_FLIGHT, "512");
    }

    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
