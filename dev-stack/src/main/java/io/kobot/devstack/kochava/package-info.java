/**
 * One Kochava stand-in for the demo, the benchmark, the fault suite and the container stack: {@link
 * io.kobot.devstack.kochava.KochavaStandIn} answers the engagement POST and the tracking-URL pings as Kochava does,
 * records and counts what it received per interaction id, and can be switched at run time into the faults the
 * tests need ({@link io.kobot.devstack.kochava.Fault}, refused connections, a fixed round trip).
 */
package io.kobot.devstack.kochava;
