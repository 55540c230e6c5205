/**
 * The stand-ins that the demo, the tests, the benchmark and the fault suite share: an embedded KRaft broker, free
 * loopback ports and topic set-up; the Kochava stand-in is in {@code io.kobot.devstack.kochava}. No JUnit, no
 * Testcontainers; never part of the production jar.
 */
package io.kobot.devstack;
