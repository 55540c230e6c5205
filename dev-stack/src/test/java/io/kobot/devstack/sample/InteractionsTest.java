package io.kobot.devstack.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InteractionsTest {

    @Test
    void theSameSeedGivesTheSameRecordsByteForByte() {
        Interactions a = sample(7).unique(500).occurredAtBase(1_000L).build(ContractSchemas.encoder());
        Interactions b = sample(7).unique(500).occurredAtBase(1_000L).build(ContractSchemas.encoder());
        Interactions other = sample(8).unique(500).occurredAtBase(1_000L).build(ContractSchemas.encoder());

        List<SampleRecord> first = list(a);
        List<SampleRecord> second = list(b);
        assertThat(first).hasSize(second.size());
        for (int i = 0; i < first.size(); i++) {
            assertThat(first.get(i).value()).isEqualTo(second.get(i).value());
            assertThat(first.get(i).key()).isEqualTo(second.get(i).key());
        }
        assertThat(list(other).get(1).value()).isNotEqualTo(first.get(1).value());
    }

    @Test
    void drawnDuplicatesReplayTheBenchmarksWorkload() {
        // The benchmark smoke test's figure: 20,000 records of seed 42, 19,003 of them unique.
        Interactions workload =
                Interactions.builder(42).positions(20_000).users(200_000).build(ContractSchemas.encoder());

        assertThat(workload.uniqueCount()).isEqualTo(19_003);
        assertThat(countOriginals(workload)).isEqualTo(19_003);
    }

    @Test
    void exactDuplicatesAreTheShareOfTheUniqueCountEachACopyOfAnEarlierInteraction() {
        Interactions sample = sample(1).unique(300).build(ContractSchemas.encoder());

        assertThat(sample.positions()).isEqualTo(315);
        assertThat(sample.uniqueCount()).isEqualTo(300);
        assertThat(countOriginals(sample)).isEqualTo(300);
        Set<String> seen = new HashSet<>();
        List<SampleRecord> records = list(sample);
        for (int position = 0; position < records.size(); position++) {
            SampleRecord record = records.get(position);
            assertThat(seen.add(record.interactionId()))
                    .as("position %d is new exactly when it is an original", position)
                    .isEqualTo(sample.isOriginal(position));
        }
        assertThat(seen).hasSize(300);
    }

    @Test
    void interactionsFollowTheContractAndTheMix() {
        Interactions sample = sample(3).unique(2_000).users(50).build(ContractSchemas.encoder());
        int events = 0;
        int userless = 0;
        for (int id = 0; id < 2_000; id++) {
            SampleInteraction interaction = sample.interaction(id, 0);
            if (interaction.isEvent()) {
                events++;
                assertThat(interaction.fbUserId()).startsWith("user-");
                assertThat(interaction.eventData()).isEqualTo("{\"ref\":\"s-" + id + "\"}");
                assertThat(interaction.trackingUrl()).isNull();
            } else {
                assertThat(interaction.trackingUrl()).endsWith("?ref=s-" + id);
                assertThat(interaction.eventName()).isNull();
                if (interaction.fbUserId() == null) {
                    userless++;
                    assertThat(new String(interaction.key(), StandardCharsets.UTF_8))
                            .isEqualTo("s-" + id);
                }
            }
        }
        assertThat(events).isBetween(1_300, 1_500);
        assertThat(userless).isBetween(200, 400);
    }

    @Test
    void linksCoverTheLinkedShareOfUsersAndATombstoneHasNoValue() {
        Interactions sample = sample(5).unique(10).users(1_000).build(ContractSchemas.encoder());

        List<SampleRecord> links = new ArrayList<>();
        sample.linkRecords("links", 1L).forEachRemaining(links::add);

        assertThat(links).hasSize(sample.linkedCount());
        assertThat(links.size()).isBetween(550, 650);
        assertThat(links).allSatisfy(link -> assertThat(link.value()).isNotNull());
        assertThat(sample.tombstone(3).value()).isNull();
        assertThat(sample.tombstone(3).key()).isEqualTo("user-3".getBytes(StandardCharsets.UTF_8));
        assertThat(sample.link(3, 1L, 1).deviceIds().get("kochava_device_id"))
                .isNotEqualTo(sample.link(3, 1L, 0).deviceIds().get("kochava_device_id"));
    }

    private static Interactions.Builder sample(long seed) {
        return Interactions.builder(seed).idPrefix("s-").userPrefix("user-");
    }

    private static int countOriginals(Interactions sample) {
        int originals = 0;
        for (int position = 0; position < sample.positions(); position++) {
            if (sample.isOriginal(position)) {
                originals++;
            }
        }
        return originals;
    }

    private static List<SampleRecord> list(Interactions sample) {
        List<SampleRecord> records = new ArrayList<>();
        sample.records("topic").forEachRemaining(records::add);
        return records;
    }
}
