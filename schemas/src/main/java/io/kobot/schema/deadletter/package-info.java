/**
 * The dead-letter reason codes of the data contract ({@link io.kobot.schema.deadletter.RejectionReason}), written to
 * {@code DeadLetter.reason_code} by the pipeline and by the Messenger intake, with their stage and replay rule.
 */
package io.kobot.schema.deadletter;
