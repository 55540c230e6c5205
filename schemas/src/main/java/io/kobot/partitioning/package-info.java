/** Where a user's records belong among a topic's partitions: shared by the pipeline and kobot's own producers. */
package io.kobot.partitioning;
