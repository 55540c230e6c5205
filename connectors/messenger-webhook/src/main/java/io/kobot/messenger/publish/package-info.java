/** Publishing to the interactions topic as the contract asks of bot servers, and the broker probe for readiness. */
package io.kobot.messenger.publish;
