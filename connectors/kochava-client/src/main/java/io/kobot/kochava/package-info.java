/**
 * The Kochava HTTP client, shared by the topology's delivery sink and the Kafka Connect sink: the request for each
 * engagement (event POSTs, impression and click pings), retries with backoff, rate limits and the in-flight bound.
 * Public API: {@link io.kobot.kochava.KochavaDeliverer}, its configuration and its results; the small parts behind
 * it (request building, response classification, retry policy, limiter) are internal.
 */
package io.kobot.kochava;
