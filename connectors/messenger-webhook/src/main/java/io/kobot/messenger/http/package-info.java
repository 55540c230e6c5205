/**
 * The HTTP side, on HttpCore 5's classic server: the webhook endpoint (verification handshake, size cap, signature
 * check, answers), its counters, and the metrics and health endpoints.
 */
package io.kobot.messenger.http;
