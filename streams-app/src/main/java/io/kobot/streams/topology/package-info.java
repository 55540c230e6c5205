/**
 * The whole pipeline in one readable place ({@link io.kobot.streams.topology.PipelineTopology}): it wires the
 * stages in the order records flow, and defines the seam ({@link io.kobot.streams.topology.EngagementSink}) through
 * which delivery attaches.
 */
package io.kobot.streams.topology;
