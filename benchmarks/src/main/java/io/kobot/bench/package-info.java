/**
 * The benchmark ({@code kobot-bench.jar}): the broker's and the HTTP client's ceilings, the topology alone, the
 * whole pipeline, latency at a fixed load and a naive baseline, on a seeded workload; it prints figures, it asserts
 * nothing about speed.
 */
package io.kobot.bench;
