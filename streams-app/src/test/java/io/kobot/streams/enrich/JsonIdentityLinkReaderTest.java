package io.kobot.streams.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kobot.schema.IdentityLink;
import io.kobot.schema.deadletter.RejectionReason;
import io.kobot.streams.ingest.InvalidRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonIdentityLinkReaderTest {
    private final JsonIdentityLinkReader reader = new JsonIdentityLinkReader();

    @Test
    void readsTheOptionalKochavaAppId() throws InvalidRecordException {
        IdentityLink withApp = read("{\"fb_user_id\":\"u-1\",\"device_ids\":{\"adid\":\"A\"},\"updated_at\":1000,"
                + "\"kochava_app_id\":\"app-1\"}");
        IdentityLink without = read("{\"fb_user_id\":\"u-1\",\"updated_at\":1000}");
        IdentityLink blank = read("{\"fb_user_id\":\"u-1\",\"updated_at\":1000,\"kochava_app_id\":\" \"}");
        IdentityLink nullApp = read("{\"fb_user_id\":\"u-1\",\"updated_at\":1000,\"kochava_app_id\":null}");

        assertThat(withApp.getKochavaAppId()).isEqualTo("app-1");
        assertThat(withApp.getDeviceIds()).containsEntry("adid", "A");
        assertThat(withApp.getUpdatedAt()).isEqualTo(Instant.ofEpochMilli(1000));
        assertThat(without.getKochavaAppId()).isNull();
        assertThat(blank.getKochavaAppId()).isNull();
        assertThat(nullApp.getKochavaAppId()).isNull();
    }

    @Test
    void aKochavaAppIdThatIsNotAStringIsRefused() {
        assertThatThrownBy(() -> read("{\"fb_user_id\":\"u-1\",\"updated_at\":1000,\"kochava_app_id\":{}}"))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_FIELD_TYPE));
    }

    private IdentityLink read(String json) throws InvalidRecordException {
        return reader.read(json.getBytes(StandardCharsets.UTF_8));
    }
}
