/**
 * The demo ({@code kobot-demo.jar}): the real pipeline on an embedded broker, an in-memory registry and a local
 * Kochava receiver, with a generated sample and a summary of what happened.
 */
package io.kobot.demo;
