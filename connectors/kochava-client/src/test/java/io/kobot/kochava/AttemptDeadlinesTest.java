package io.kobot.kochava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class AttemptDeadlinesTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final List<String> expired = new CopyOnWriteArrayList<>();

    private final class Named extends AttemptDeadlines.Entry {
        final String name;
        volatile long expiredAtNanos;

        Named(String name) {
            this.name = name;
        }

        @Override
        void expire() {
            expiredAtNanos = System.nanoTime();
            expired.add(name);
        }
    }

    @Test
    void entriesExpireInOrderAtTheirTimeoutAndRemovedOnesNever() throws Exception {
        try (AttemptDeadlines deadlines = new AttemptDeadlines(TIMEOUT, "test-deadline")) {
            Named first = new Named("first");
            Named removed = new Named("removed");
            Named last = new Named("last");
            long addedAt = System.nanoTime();
            deadlines.add(first);
            deadlines.add(removed);
            Thread.sleep(50);
            deadlines.add(last);
            deadlines.remove(removed);
            assertThat(deadlines.listed()).containsExactly(first, last);

            await().atMost(Duration.ofSeconds(5)).until(() -> expired.size() == 2);
            assertThat(expired).containsExactly("first", "last");
            assertThat(Duration.ofNanos(first.expiredAtNanos - addedAt)).isGreaterThanOrEqualTo(TIMEOUT);
            assertThat(Duration.ofNanos(last.expiredAtNanos - addedAt)).isGreaterThanOrEqualTo(TIMEOUT.plusMillis(50));
            assertThat(deadlines.listed()).isEmpty();

            // The removed entry was due with the first: by now it would have expired too.
            assertThat(expired).doesNotContain("removed");
            // Removing an entry that has expired is a no-op.
            deadlines.remove(first);
            assertThat(deadlines.listed()).isEmpty();
        }
    }

    @Test
    void anEntryAddedToAnEmptyListWakesTheThread() {
        try (AttemptDeadlines deadlines = new AttemptDeadlines(TIMEOUT, "test-deadline")) {
            Named one = new Named("one");
            deadlines.add(one);
            await().atMost(Duration.ofSeconds(5)).until(() -> expired.contains("one"));
            Named two = new Named("two");
            long addedAt = System.nanoTime();
            deadlines.add(two);
            await().atMost(Duration.ofSeconds(5)).until(() -> expired.contains("two"));
            assertThat(Duration.ofNanos(two.expiredAtNanos - addedAt)).isGreaterThanOrEqualTo(TIMEOUT);
        }
    }

    @Test
    void afterCloseNothingExpires() throws Exception {
        AttemptDeadlines deadlines = new AttemptDeadlines(Duration.ofMillis(100), "test-deadline");
        Named entry = new Named("entry");
        deadlines.add(entry);
        deadlines.close();
        Thread.sleep(400);
        assertThat(expired).isEmpty();
    }
}
