/** The intake's counters: requests by outcome, items by mapping, signature failures, records published. */
package io.kobot.messenger.metrics;
