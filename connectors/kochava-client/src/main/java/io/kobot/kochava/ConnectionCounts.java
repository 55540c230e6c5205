package io.kobot.kochava;

/**
 * The connections of one of the client's pools (POSTs, pings) at a moment, for monitoring: a pool whose connections
 * are all leased while requests wait is too small for the round trip; opens that wait are held back by {@code
 * delivery.max-opening-connections} (a bound per host; the counts are the pool's, over all its hosts).
 *
 * @param leased connections carrying a request (an HTTP/2 connection counts once, however many streams it carries)
 * @param available open connections idle in the pool
 * @param opening connections being opened (TCP connect and TLS handshake)
 * @param waitingToOpen connections waiting for their turn to be opened
 */
public record ConnectionCounts(int leased, int available, int opening, int waitingToOpen) {}
