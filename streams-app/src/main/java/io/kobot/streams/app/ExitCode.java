package io.kobot.streams.app;

/** The process exit codes, as documented in {@code --help} and docs/operations.md. */
public final class ExitCode {
    public static final int OK = 0;
    /** Kafka Streams failed, or did not close within shutdown.timeout. */
    public static final int RUNTIME_FAILURE = 1;
    /** Invalid configuration or usage; every problem is printed. */
    public static final int BAD_CONFIG = 2;
    /** The interactions or identity-links topic is missing, or they are not co-partitioned. */
    public static final int TOPICS_NOT_READY = 3;

    static final String HELP =
            "Exit codes: 0 ok, 1 runtime failure, 2 bad configuration, " + "3 topics missing or not co-partitioned.";

    private ExitCode() {}
}
