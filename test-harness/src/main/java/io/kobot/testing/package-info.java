/**
 * Integration-test infrastructure (JUnit 5): {@link io.kobot.testing.RealInfrastructureExtension} gives tests a
 * real Kafka 4.3.1 broker (Testcontainers where a container engine answers, else the dev stack's embedded broker) and
 * a real Confluent-API schema registry (Apicurio Registry), each started once per test run; and
 * {@link io.kobot.testing.ModuleLayering} and {@link io.kobot.testing.PackageLayering}, what the modules' layering
 * tests share. Test scope only.
 */
package io.kobot.testing;
