package io.kobot.messenger.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ThrottledLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger("throttled-log-test");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final ThrottledLog log = new ThrottledLog(logger, Duration.ofMinutes(1), clock::get);

    @BeforeEach
    void attach() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(lines);
    }

    @Test
    void logsAKindOncePerIntervalWithTheCountSinceItsLastLine() {
        log.warn("malformed", 2, "Left out webhook items as malformed");
        log.warn("malformed", 3, "Left out webhook items as malformed");
        clock.addAndGet(Duration.ofSeconds(59).toNanos());
        log.warn("malformed", 1, "Left out webhook items as malformed");
        assertThat(lines.list).hasSize(1);
        assertThat(lines.list.get(0).getFormattedMessage()).startsWith("Left out webhook items as malformed (2 since");

        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        log.warn("malformed", 1, "Left out webhook items as malformed");

        assertThat(lines.list).hasSize(2);
        assertThat(lines.list.get(1).getFormattedMessage()).contains("(5 since the last such line");
    }

    @Test
    void kindsAreCountedApartAndBounded() {
        for (int i = 0; i < ThrottledLog.MAX_KINDS + 50; i++) {
            log.warn("page:" + i, 1, "page " + i);
        }

        assertThat(lines.list).hasSize(ThrottledLog.MAX_KINDS);
    }
}
