/** Messenger webhook items to {@code BotInteraction} records, per page: the documented, tested mapping. */
package io.kobot.messenger.mapping;
