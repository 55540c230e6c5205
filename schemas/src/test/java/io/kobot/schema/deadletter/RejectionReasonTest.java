package io.kobot.schema.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.schema.deadletter.RejectionReason.Replay;
import io.kobot.schema.deadletter.RejectionReason.Stage;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reason codes are part of the data contract: names, stages and replay rules are what users filter on. */
class RejectionReasonTest {
    /** Every code with the stage written beside it, as released: never renamed or removed (order is not written). */
    private static final Map<String, String> RELEASED = released();

    @Test
    void releasedCodesKeepTheirNamesAndStages() {
        Map<String, String> declared = new LinkedHashMap<>();
        for (RejectionReason reason : RejectionReason.values()) {
            declared.put(reason.name(), reason.stage().label());
        }
        assertThat(declared).containsAllEntriesOf(RELEASED);
    }

    @Test
    void onlyFailuresThatWereNotTheRecordsFaultAreReplayedByDefault() {
        assertThat(RejectionReason.replayed(Replay.BY_DEFAULT))
                .containsExactly(RejectionReason.PROCESSING_ERROR, RejectionReason.RETRIES_EXHAUSTED);
        assertThat(RejectionReason.replayed(Replay.NEVER)).containsExactly(RejectionReason.WEBHOOK_ITEM_MALFORMED);
        assertThat(RejectionReason.replayed(Replay.WHEN_NAMED))
                .contains(RejectionReason.UNPARSEABLE, RejectionReason.IDENTITY_LINK_NOT_FORWARDED);
    }

    @Test
    void theIntakesCodesAreNotThePipelines() {
        assertThat(RejectionReason.WEBHOOK_ITEM_MALFORMED.stage()).isEqualTo(Stage.INTAKE);
        assertThat(RejectionReason.ofPipeline())
                .doesNotContain(RejectionReason.WEBHOOK_ITEM_MALFORMED)
                .contains(RejectionReason.UNPARSEABLE, RejectionReason.IDENTITY_LINK_NOT_FORWARDED);
        assertThat(Arrays.stream(Stage.values()).filter(Stage::inPipeline))
                .containsExactly(Stage.INGEST, Stage.VALIDATE, Stage.ENRICH, Stage.PROCESS, Stage.DELIVER);
    }

    @Test
    void aCodeIsFoundByItsExactName() {
        assertThat(RejectionReason.of("WEBHOOK_ITEM_MALFORMED")).contains(RejectionReason.WEBHOOK_ITEM_MALFORMED);
        assertThat(RejectionReason.of("webhook_item_malformed")).isEmpty();
        assertThat(RejectionReason.of("NO_SUCH_CODE")).isEmpty();
        assertThat(RejectionReason.of(null)).isEmpty();
    }

    private static Map<String, String> released() {
        Map<String, String> codes = new LinkedHashMap<>();
        List.of(
                        "UNPARSEABLE ingest",
                        "INVALID_AVRO ingest",
                        "INVALID_FIELD_TYPE ingest",
                        "INVALID_TYPE validate",
                        "MISSING_INTERACTION_ID validate",
                        "MISSING_KOCHAVA_APP_ID validate",
                        "MISSING_OCCURRED_AT validate",
                        "MISSING_FB_USER_ID validate",
                        "MISSING_EVENT_NAME validate",
                        "INVALID_TRACKING_URL validate",
                        "OCCURRED_AT_IN_FUTURE validate",
                        "INVALID_EVENT_DATA validate",
                        "EVENT_DATA_TOO_LARGE validate",
                        "KEY_MISMATCH validate",
                        "INVALID_IDENTITY_LINK enrich",
                        "DESERIALIZATION_ERROR ingest",
                        "PROCESSING_ERROR process",
                        "HTTP_REJECTED deliver",
                        "RETRIES_EXHAUSTED deliver",
                        "MISPLACED_PARTITION validate",
                        "TIMESTAMP_IN_FUTURE ingest",
                        "UNSUPPORTED_SCHEMA ingest",
                        "EMPTY_VALUE ingest",
                        "NULL_VALUE ingest",
                        "EVENT_DATA_TOO_DEEP validate",
                        "FIELD_TOO_LONG validate",
                        "DEVICE_IDS_TOO_MANY validate",
                        "DEVICE_IDS_TOO_LARGE validate",
                        "ENGAGEMENT_TOO_LARGE enrich",
                        "IDENTITY_LINK_TOO_LARGE enrich",
                        "TRACKING_HOST_NOT_ALLOWED validate",
                        "OUTBOX_ENTRY_UNREADABLE deliver",
                        "IDENTITY_LINK_NOT_FORWARDED deliver",
                        "WEBHOOK_ITEM_MALFORMED intake")
                .forEach(
                        line -> codes.put(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1)));
        return codes;
    }
}
