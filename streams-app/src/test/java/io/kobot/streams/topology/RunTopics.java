package io.kobot.streams.topology;

/** Topic names of one test run on a shared broker: each topic's role, prefixed and suffixed by the run's id. */
final class RunTopics {
    private RunTopics() {}

    static TopicNames of(String prefix, String run) {
        return new TopicNames(
                prefix + "in-" + run,
                prefix + "links-" + run,
                prefix + "engagements-" + run,
                prefix + "deliveries-" + run,
                prefix + "dlq-" + run);
    }
}
