package io.kobot.streams.app;

/** The process exit codes, as documented in {@code --help} and docs/operations.md. */
public final class ExitCode {
    public static final int OK = 0;
    /** Kafka Streams failed, or did not close within shutdown.timeout. */
    public static final int RUNTIME_FAILURE = 1;
    /** Invalid configuration or usage; every problem is printed. */
    public static final int BAD_CONFIG = 2;
    /** A topic the job reads or writes is missing, or the two source topics are not co-partitioned. */
    public static final int TOPICS_NOT_READY = 3;
    /** No answer from the Kafka cluster within {@code startup.kafka-timeout} (or its addresses do not resolve). */
    public static final int KAFKA_UNREACHABLE = 4;

    static final String HELP = "Exit codes: 0 ok, 1 runtime failure, 2 bad configuration, "
            + "3 topics missing or not co-partitioned, 4 Kafka unreachable.";

    private ExitCode() {}
}
