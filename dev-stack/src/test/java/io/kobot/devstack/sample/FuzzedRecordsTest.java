package io.kobot.devstack.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FuzzedRecordsTest {

    @Test
    void everyCategoryIsPresentAndEveryRecordIsBad() {
        List<SampleRecord> records = fuzz(1).records(1_000);

        Map<String, Integer> byKind = new TreeMap<>();
        records.forEach(record -> byKind.merge(record.kind(), 1, Integer::sum));
        assertThat(byKind)
                .containsOnlyKeys(
                        "RANDOM_BYTES",
                        "TRUNCATED_AVRO",
                        "UNKNOWN_SCHEMA_ID",
                        "FOREIGN_SCHEMA_ID",
                        "JSON_WRONG_TYPES",
                        "EVENT_DATA_TOO_LARGE",
                        "NEAR_MAX_MESSAGE")
                .containsEntry("EVENT_DATA_TOO_LARGE", 50)
                .containsEntry("NEAR_MAX_MESSAGE", 2);
        assertThat(records).noneMatch(SampleRecord::valid);
        assertThat(records)
                .filteredOn(record -> record.kind().equals("NEAR_MAX_MESSAGE"))
                .allSatisfy(record -> assertThat(record.value().length).isBetween(995_000, 1_000_000));
    }

    @Test
    void theSameSeedGivesTheSameRecords() {
        List<SampleRecord> a = fuzz(9).records(200);
        List<SampleRecord> b = fuzz(9).records(200);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).kind()).isEqualTo(b.get(i).kind());
            assertThat(Arrays.equals(a.get(i).value(), b.get(i).value()))
                    .as("record %d, %s", i, a.get(i).kind())
                    .isTrue();
        }
    }

    @Test
    void aRecordAtTheProducerLimitFillsMaxRequestSizeExactly() {
        SampleRecord record = fuzz(1).atProducerLimit(0);

        assertThat(record.key().length + record.value().length).isEqualTo(1_048_576 - 61 - 32);
    }

    @Test
    void malformedRecordsNameTheReasonTheyMustGet() {
        assertThat(fuzz(1).malformed())
                .extracting(SampleRecord::kind)
                .containsExactly(
                        "UNPARSEABLE",
                        "UNPARSEABLE",
                        "MISSING_FB_USER_ID",
                        "MISSING_FB_USER_ID",
                        "INVALID_TRACKING_URL",
                        "INVALID_AVRO");
    }

    private static FuzzedRecords fuzz(long seed) {
        return new FuzzedRecords("run-", "app-1", ContractSchemas.encoder(), "topic", 99, 1_700_000_000_000L, seed);
    }
}
