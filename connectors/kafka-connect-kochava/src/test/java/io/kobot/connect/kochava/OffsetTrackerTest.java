package io.kobot.connect.kochava;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private static final TopicPartition P0 = new TopicPartition("bot.engagements", 0);
    private static final TopicPartition P1 = new TopicPartition("bot.engagements", 1);

    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void theLowestOpenOffsetBoundsTheCommitWhateverOrderDeliveriesEnd() {
        OffsetTracker.Ticket t10 = tracker.track(P0, 10);
        OffsetTracker.Ticket t11 = tracker.track(P0, 11);
        OffsetTracker.Ticket t12 = tracker.track(P0, 12);
        Map<TopicPartition, OffsetAndMetadata> consumed = Map.of(P0, new OffsetAndMetadata(13));

        tracker.complete(t12);
        tracker.complete(t11);
        assertThat(tracker.committable(consumed)).containsEntry(P0, new OffsetAndMetadata(10));

        tracker.complete(t10);
        assertThat(tracker.committable(consumed)).containsEntry(P0, new OffsetAndMetadata(13));
        assertThat(tracker.open()).isZero();
    }

    @Test
    void partitionsAreIndependent() {
        tracker.track(P0, 5);
        OffsetTracker.Ticket p1 = tracker.track(P1, 7);
        tracker.complete(p1);

        assertThat(tracker.committable(Map.of(P0, new OffsetAndMetadata(6), P1, new OffsetAndMetadata(8))))
                .containsEntry(P0, new OffsetAndMetadata(5))
                .containsEntry(P1, new OffsetAndMetadata(8));
    }

    @Test
    void aPartitionWithNothingHandedOverCommitsItsConsumedPosition() {
        assertThat(tracker.committable(Map.of(P0, new OffsetAndMetadata(42, "meta"))))
                .containsEntry(P0, new OffsetAndMetadata(42, "meta"));
    }

    @Test
    void aCompletionAfterThePartitionWasClosedAndReassignedDoesNotTouchTheNewState() {
        OffsetTracker.Ticket stale = tracker.track(P0, 3);
        tracker.forget(List.of(P0));
        OffsetTracker.Ticket fresh = tracker.track(P0, 3);

        tracker.complete(stale);

        assertThat(tracker.isCurrent(P0, stale)).isFalse();
        assertThat(tracker.isCurrent(P0, fresh)).isTrue();
        assertThat(tracker.committable(Map.of(P0, new OffsetAndMetadata(4))))
                .containsEntry(P0, new OffsetAndMetadata(3));
        assertThat(tracker.open()).isEqualTo(1);
    }
}
