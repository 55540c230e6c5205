package io.kobot.streams.enrich;

import io.kobot.schema.IdentityLink;
import io.kobot.schema.deadletter.RejectionReason;
import io.kobot.streams.ingest.InvalidRecordException;
import io.kobot.streams.ingest.JsonFields;
import io.kobot.streams.ingest.ValueDecoder;
import java.time.Instant;

/**
 * Reads the JSON form of an {@link IdentityLink}: {@code fb_user_id}, {@code device_ids}, {@code updated_at}, and the
 * optional {@code kochava_app_id} (absent, null or blank: none).
 */
public final class JsonIdentityLinkReader implements ValueDecoder.JsonReader<IdentityLink> {

    @Override
    public IdentityLink read(byte[] bytes) throws InvalidRecordException {
        JsonFields json = JsonFields.parse(bytes);
        String fbUserId = json.id("fb_user_id", null);
        if (fbUserId == null || fbUserId.isBlank()) {
            throw new InvalidRecordException(RejectionReason.INVALID_IDENTITY_LINK, "fb_user_id is missing");
        }
        Instant updatedAt = json.instant("updated_at");
        if (updatedAt == null) {
            throw new InvalidRecordException(RejectionReason.INVALID_IDENTITY_LINK, "updated_at is missing");
        }
        String appId = json.text("kochava_app_id", null);
        return IdentityLink.newBuilder()
                .setFbUserId(fbUserId)
                .setDeviceIds(json.stringMap("device_ids"))
                .setUpdatedAt(updatedAt)
                .setKochavaAppId(appId == null || appId.isBlank() ? null : appId)
                .build();
    }
}
