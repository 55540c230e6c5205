package io.kobot.devstack.sample;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Records the pipeline must dead-letter, never deliver and never die on. Each is bad in one way only, with an
 * otherwise valid body, so each category tests one rule:
 * <ul>
 *   <li>{@code RANDOM_BYTES}: noise, 0 to 2,000 bytes;</li>
 *   <li>{@code TRUNCATED_AVRO}: a valid Confluent-framed Avro value cut short (Avro has no optional tail);</li>
 *   <li>{@code UNKNOWN_SCHEMA_ID}: a valid Avro body behind a schema id the registry never issued;</li>
 *   <li>{@code FOREIGN_SCHEMA_ID}: a body written with another registered schema ({@link ForeignSchema}), under
 *       that schema's id;</li>
 *   <li>{@code JSON_WRONG_TYPES}: JSON with one field of the wrong type;</li>
 *   <li>{@code EVENT_DATA_TOO_LARGE}: {@code event_data} above {@link #MAX_EVENT_DATA_BYTES}, which the run must
 *       set as {@code validation.max-event-data-bytes};</li>
 *   <li>{@code NEAR_MAX_MESSAGE}: the same, about 1,000,000 bytes, within 50 KB of Kafka's default limits
 *       ({@code max.request.size} 1 MiB): room enough for the dead letter's metadata. A record at the very
 *       limit is {@link #atProducerLimit(int)}, kept out of this mix.</li>
 * </ul>
 * Besides, {@link #malformed} gives a handful of records each labelled with the reason code it must get.
 */
public final class FuzzedRecords {
    public static final int MAX_EVENT_DATA_BYTES = 65_536;
    /**
     * The producer refuses a record whose size, framed in its own batch, exceeds {@code max.request.size}
     * (1 MiB by default): batch header 61 bytes, record framing at most 32, plus key and value.
     */
    private static final int PRODUCER_MAX_RECORD_BYTES = 1_048_576 - 61 - 32;

    private static final int NEAR_MAX_VALUE_BYTES = 1_000_000;
    private static final byte[] NEAR_MAX_KEY = "user-fuzz".getBytes(StandardCharsets.UTF_8);

    private static final String[] WRONG_TYPES = {
        "\"interaction_id\":{\"nested\":1}",
        "\"kochava_app_id\":false",
        "\"type\":7",
        "\"occurred_at\":true",
        "\"event_name\":[\"Purchase\"]",
        "\"device_ids\":\"adid-1\"",
        "\"fb_user_id\":{\"id\":\"u\"}",
        "\"origination_ip\":12.5"
    };

    private final String idPrefix;
    private final String appId;
    private final WireEncoder encoder;
    private final String topic;
    private final int foreignSchemaId;
    private final Random random;
    /** One timestamp for all, so that a record's size does not depend on when it is built. */
    private final long occurredAt;

    /**
     * @param idPrefix        bad records' interaction ids start with it
     * @param foreignSchemaId the id of {@link ForeignSchema} in the run's registry
     * @param occurredAtMillis occurred_at of every record that has one (recent, or the pipeline may judge it stale)
     */
    public FuzzedRecords(
            String idPrefix,
            String appId,
            WireEncoder encoder,
            String topic,
            int foreignSchemaId,
            long occurredAtMillis,
            long seed) {
        this.idPrefix = idPrefix;
        this.occurredAt = occurredAtMillis;
        this.appId = appId;
        this.encoder = encoder;
        this.topic = topic;
        this.foreignSchemaId = foreignSchemaId;
        this.random = new Random(seed);
    }

    /** {@code count} bad records: a few near the size limit, 5 % too large, the rest spread over the others. */
    public List<SampleRecord> records(int count) {
        int nearMax = Math.max(2, count / 1000);
        int tooLarge = count / 20;
        List<SampleRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(
                    i < nearMax
                            ? nearMaxMessage(i)
                            : i < nearMax + tooLarge
                                    ? eventDataTooLarge(i)
                                    : switch (i % 5) {
                                        case 0 -> randomBytes();
                                        case 1 -> truncatedAvro(i);
                                        case 2 -> unknownSchemaId(i);
                                        case 3 -> foreignSchemaId();
                                        default -> jsonWithWrongType(i);
                                    });
        }
        return records;
    }

    /**
     * A record with {@code event_data} too large, exactly as large as the producer's default
     * {@code max.request.size} lets through: its dead letter, which adds metadata to the same bytes, is larger.
     */
    public SampleRecord atProducerLimit(int i) {
        return SampleRecord.bad(
                "AT_PRODUCER_LIMIT", NEAR_MAX_KEY, jsonEventOfSize(i, PRODUCER_MAX_RECORD_BYTES - NEAR_MAX_KEY.length));
    }

    /**
     * A few malformed records, each of {@code kind} the dead-letter reason code it must get: bytes that are neither
     * Avro nor JSON, JSON cut short, events without a user in JSON and in Avro, a tracking URL without a scheme, and
     * a Confluent frame whose schema id the registry never issued.
     */
    public List<SampleRecord> malformed() {
        SampleInteraction eventWithoutUser = new SampleInteraction(
                -1,
                idPrefix + "bad-avro-event",
                appId,
                InteractionKind.EVENT,
                null,
                occurredAt,
                "Purchase",
                null,
                null,
                null,
                Map.of());
        return List.of(
                SampleRecord.bad("UNPARSEABLE", null, new byte[] {0x13, (byte) 0xe2, 0x55, 0x01, (byte) 0x9c}),
                SampleRecord.bad(
                        "UNPARSEABLE", null, utf8("{\"interaction_id\": \"" + idPrefix + "bad-json\", \"type\": ")),
                SampleRecord.bad(
                        "MISSING_FB_USER_ID",
                        utf8(idPrefix + "bad-event"),
                        utf8("{\"interaction_id\":\"" + idPrefix + "bad-event\",\"kochava_app_id\":\"" + appId
                                + "\",\"type\":\"EVENT\",\"occurred_at\":" + occurredAt
                                + ",\"event_name\":\"Purchase\"}")),
                SampleRecord.bad(
                        "MISSING_FB_USER_ID",
                        utf8(eventWithoutUser.interactionId()),
                        encoder.avro(topic, eventWithoutUser)),
                SampleRecord.bad(
                        "INVALID_TRACKING_URL",
                        utf8(idPrefix + "bad-url"),
                        utf8("{\"interaction_id\":\"" + idPrefix + "bad-url\",\"kochava_app_id\":\"" + appId
                                + "\",\"type\":\"CLICK\",\"occurred_at\":\"" + Instant.ofEpochMilli(occurredAt)
                                + "\",\"tracking_url\":\"smartlink without a scheme\"}")),
                SampleRecord.bad("INVALID_AVRO", null, new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6}));
    }

    private SampleRecord randomBytes() {
        byte[] value = new byte[random.nextInt(2_001)];
        random.nextBytes(value);
        return bad("RANDOM_BYTES", value);
    }

    private SampleRecord truncatedAvro(int i) {
        byte[] whole = avroValue(i);
        byte[] cut = new byte[5 + random.nextInt(whole.length - 5)];
        System.arraycopy(whole, 0, cut, 0, cut.length);
        return bad("TRUNCATED_AVRO", cut);
    }

    private SampleRecord unknownSchemaId(int i) {
        byte[] value = avroValue(i);
        ByteBuffer.wrap(value, 1, 4).putInt(1_000_000_000 + random.nextInt(1_000_000));
        return bad("UNKNOWN_SCHEMA_ID", value);
    }

    /** The foreign schema is a record with one string field: its Avro body is a length and the bytes. */
    private SampleRecord foreignSchemaId() {
        byte[] text = "not a BotInteraction".getBytes(StandardCharsets.UTF_8);
        ByteBuffer value = ByteBuffer.allocate(5 + 1 + text.length);
        value.put((byte) 0)
                .putInt(foreignSchemaId)
                .put((byte) (text.length * 2))
                .put(text);
        return bad("FOREIGN_SCHEMA_ID", value.array());
    }

    private SampleRecord jsonWithWrongType(int i) {
        String wrong = WRONG_TYPES[random.nextInt(WRONG_TYPES.length)];
        String field = wrong.substring(0, wrong.indexOf(':'));
        StringBuilder json = new StringBuilder("{").append(wrong);
        appendUnless(json, field, "\"interaction_id\":\"" + badId(i) + "\"");
        appendUnless(json, field, "\"kochava_app_id\":\"" + appId + "\"");
        appendUnless(json, field, "\"type\":\"EVENT\"");
        appendUnless(json, field, "\"occurred_at\":" + occurredAt);
        appendUnless(json, field, "\"event_name\":\"Purchase\"");
        appendUnless(json, field, "\"fb_user_id\":\"user-fuzz\"");
        return bad("JSON_WRONG_TYPES", json.append('}').toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void appendUnless(StringBuilder json, String field, String member) {
        if (!member.startsWith(field + ":")) {
            json.append(',').append(member);
        }
    }

    private SampleRecord eventDataTooLarge(int i) {
        // event_data is {"blob":"…"}: 11 bytes of JSON around the blob.
        int eventDataBytes = MAX_EVENT_DATA_BYTES + 1 + random.nextInt(16_384);
        return bad("EVENT_DATA_TOO_LARGE", jsonEvent(i, eventDataBytes - 11));
    }

    private SampleRecord nearMaxMessage(int i) {
        int size = NEAR_MAX_VALUE_BYTES - random.nextInt(4_096);
        return SampleRecord.bad("NEAR_MAX_MESSAGE", NEAR_MAX_KEY, jsonEventOfSize(i, size));
    }

    /** A JSON event whose whole value is {@code size} bytes, nearly all of it a string in event_data. */
    private byte[] jsonEventOfSize(int i, int size) {
        return jsonEvent(i, size - jsonEvent(i, 0).length);
    }

    /** A JSON event whose {@code event_data} object is {@code {"blob":"aaa…"}} with {@code blobBytes} a's. */
    private byte[] jsonEvent(int i, int blobBytes) {
        String json =
                "{\"interaction_id\":\"" + badId(i) + "\",\"kochava_app_id\":\"" + appId + "\",\"type\":\"EVENT\","
                        + "\"fb_user_id\":\"user-fuzz\",\"occurred_at\":" + occurredAt
                        + ",\"event_name\":\"Purchase\",\"event_data\":{\"blob\":\"" + "a".repeat(blobBytes) + "\"}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] avroValue(int i) {
        return encoder.avro(
                topic,
                new SampleInteraction(
                        i,
                        badId(i),
                        appId,
                        InteractionKind.EVENT,
                        "user-fuzz",
                        occurredAt,
                        "Purchase",
                        "{\"fuzz\":true}",
                        null,
                        null,
                        Map.of()));
    }

    private String badId(int i) {
        return idPrefix + "bad-" + i;
    }

    private SampleRecord bad(String kind, byte[] value) {
        byte[] key = new byte[random.nextInt(24)];
        random.nextBytes(key);
        return SampleRecord.bad(kind, key, value);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
