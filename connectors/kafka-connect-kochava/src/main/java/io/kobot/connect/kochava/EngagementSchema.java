package io.kobot.connect.kochava;

import io.kobot.schema.Engagement;
import java.util.Date;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * The Connect schema of an {@link Engagement}: the Avro record's fields under their Avro names, the enum as its
 * symbol and timestamp-millis as Connect's Timestamp, so SMTs and other sinks see the same record.
 */
public final class EngagementSchema {

    public static final String INTERACTION_ID = "interaction_id";
    public static final String KOCHAVA_APP_ID = "kochava_app_id";
    public static final String TYPE = "type";
    public static final String FB_USER_ID = "fb_user_id";
    public static final String OCCURRED_AT = "occurred_at";
    public static final String EVENT_NAME = "event_name";
    public static final String EVENT_DATA = "event_data";
    public static final String TRACKING_URL = "tracking_url";
    public static final String DEVICE_IDS = "device_ids";
    public static final String IDENTITY_LINKED = "identity_linked";
    public static final String ORIGINATION_IP = "origination_ip";
    public static final String USER_AGENT = "user_agent";
    public static final String INGESTED_AT = "ingested_at";

    public static final Schema SCHEMA = SchemaBuilder.struct()
            .name(Engagement.getClassSchema().getFullName())
            .version(1)
            .doc(Engagement.getClassSchema().getDoc())
            .field(INTERACTION_ID, Schema.STRING_SCHEMA)
            .field(KOCHAVA_APP_ID, Schema.STRING_SCHEMA)
            .field(TYPE, Schema.STRING_SCHEMA)
            .field(FB_USER_ID, Schema.OPTIONAL_STRING_SCHEMA)
            .field(OCCURRED_AT, Timestamp.SCHEMA)
            .field(EVENT_NAME, Schema.OPTIONAL_STRING_SCHEMA)
            .field(EVENT_DATA, Schema.OPTIONAL_STRING_SCHEMA)
            .field(TRACKING_URL, Schema.OPTIONAL_STRING_SCHEMA)
            .field(
                    DEVICE_IDS,
                    SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA)
                            .build())
            .field(IDENTITY_LINKED, Schema.BOOLEAN_SCHEMA)
            .field(ORIGINATION_IP, Schema.OPTIONAL_STRING_SCHEMA)
            .field(USER_AGENT, Schema.OPTIONAL_STRING_SCHEMA)
            .field(INGESTED_AT, Timestamp.SCHEMA)
            .build();

    private EngagementSchema() {}

    public static Struct toStruct(Engagement engagement) {
        return new Struct(SCHEMA)
                .put(INTERACTION_ID, engagement.getInteractionId())
                .put(KOCHAVA_APP_ID, engagement.getKochavaAppId())
                .put(TYPE, engagement.getType().name())
                .put(FB_USER_ID, engagement.getFbUserId())
                .put(OCCURRED_AT, Date.from(engagement.getOccurredAt()))
                .put(EVENT_NAME, engagement.getEventName())
                .put(EVENT_DATA, engagement.getEventData())
                .put(TRACKING_URL, engagement.getTrackingUrl())
                .put(DEVICE_IDS, Map.copyOf(engagement.getDeviceIds()))
                .put(IDENTITY_LINKED, engagement.getIdentityLinked())
                .put(ORIGINATION_IP, engagement.getOriginationIp())
                .put(USER_AGENT, engagement.getUserAgent())
                .put(INGESTED_AT, Date.from(engagement.getIngestedAt()));
    }
}
